import 'server-only';
/**
 * OTLP over HTTP, as Claude Code's exporters send it: protobuf (application/x-protobuf) or JSON
 * (application/json), possibly gzip-compressed. Decoded with the protobuf codec the OpenTelemetry
 * JavaScript project generates from the published opentelemetry-proto definitions (shipped in
 * @opentelemetry/otlp-transformer 0.214, pinned: the last release carrying it for logs and
 * metrics), never by hand; JSON goes through the same definitions (fromObject), so both encodings
 * give one plain object.
 */
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { LogsRequest, MetricsRequest } from '@/lib/capture/otel';

type Codec = {
  decode: (bytes: Uint8Array) => unknown;
  fromObject: (object: unknown) => unknown;
  toObject: (message: unknown, options: Record<string, unknown>) => unknown;
};
type Root = {
  opentelemetry: {
    proto: {
      collector: {
        logs: { v1: { ExportLogsServiceRequest: Codec } };
        metrics: { v1: { ExportMetricsServiceRequest: Codec } };
      };
    };
  };
};

const require = createRequire(import.meta.url);
let root: Root | undefined;
const codecs = () => {
  root ??= require('@opentelemetry/otlp-transformer/build/src/generated/root') as Root;
  return root.opentelemetry.proto.collector;
};

/** 64-bit numbers as decimal text, enums by name, no defaults: the shape lib/capture/otel.ts reads. */
const PLAIN = { longs: String, enums: String, bytes: String, defaults: false, arrays: true };

export class OtlpUnreadable extends Error {
  override name = 'OtlpUnreadable';
}

export type OtlpEncoding = 'protobuf' | 'json';

/** The encoding a Content-Type names, or null for one OTLP/HTTP does not define. */
export function otlpEncoding(contentType: string | null): OtlpEncoding | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

/** A body as sent, unzipped when its Content-Encoding says gzip (up to `maxBytes` unzipped). */
export function inflate(bytes: Uint8Array, encoding: string | null, maxBytes: number): Uint8Array {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return bytes;
  if (coding !== 'gzip')
    throw new OtlpUnreadable(`Content-Encoding ${coding} is not supported; send gzip or none`);
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new OtlpUnreadable(
      tooLarge ? `the body unzips to more than ${maxBytes} bytes` : 'the body is not valid gzip',
    );
  }
}

function decode(codec: Codec, bytes: Uint8Array, encoding: OtlpEncoding): unknown {
  let message: unknown;
  try {
    message =
      encoding === 'protobuf'
        ? codec.decode(bytes)
        : codec.fromObject(JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown);
  } catch (error) {
    throw new OtlpUnreadable(
      `the body is not an OTLP ${encoding === 'json' ? 'JSON' : 'protobuf'} export request: ${(error as Error).message}`.slice(
        0,
        300,
      ),
    );
  }
  return codec.toObject(message, PLAIN);
}

export const decodeLogs = (bytes: Uint8Array, encoding: OtlpEncoding): LogsRequest =>
  decode(codecs().logs.v1.ExportLogsServiceRequest, bytes, encoding) as LogsRequest;

export const decodeMetrics = (bytes: Uint8Array, encoding: OtlpEncoding): MetricsRequest =>
  decode(codecs().metrics.v1.ExportMetricsServiceRequest, bytes, encoding) as MetricsRequest;
