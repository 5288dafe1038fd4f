import 'server-only';
import type { CapturedEvent } from '@/lib/capture/event';
import { handleRoute } from '../api/handle-route';
import { settings } from '../settings';
import {
  decodeLogs,
  decodeMetrics,
  inflate,
  OtlpUnreadable,
  otlpEncoding,
  type OtlpEncoding,
} from './otlp';
import { receiveCapture } from './receive';
import { logEvents, metricEvents } from '@/lib/capture/otel';
import { jsonProblem } from '@/lib/text-safety';

/** An empty ExportLogsServiceResponse / ExportMetricsServiceResponse: full success. */
const success = (encoding: OtlpEncoding | null) =>
  encoding === 'protobuf'
    ? new Response(new Uint8Array(0), {
        status: 200,
        headers: { 'content-type': 'application/x-protobuf' },
      })
    : Response.json({});

/** The OTLP/HTTP receiver of one signal (capture scope): /v1/logs or /v1/metrics. */
export function otlpReceiver(signal: 'logs' | 'metrics') {
  return handleRoute(async (request: Request) => {
    const encoding = otlpEncoding(request.headers.get('content-type'));
    return receiveCapture(
      request,
      (bytes, receivedAt) => {
        if (!encoding)
          return {
            refused: 'Send OTLP as application/x-protobuf or application/json.',
            status: 415,
          };
        try {
          const body = inflate(
            bytes,
            request.headers.get('content-encoding'),
            settings().apiMaxBodyBytes * 8,
          );
          if (encoding === 'json') {
            const problem = jsonProblem(safeJson(body));
            if (problem) return { refused: `The export request ${problem}.` };
          }
          const events: CapturedEvent[] =
            signal === 'logs'
              ? logEvents(decodeLogs(body, encoding), receivedAt)
              : metricEvents(decodeMetrics(body, encoding), receivedAt);
          const unstorable = jsonProblem(events);
          if (unstorable)
            return {
              refused: `An exported value ${unstorable.replace(/^\[\d+\]\S*/, '').trim()}.`,
            };
          return { events };
        } catch (error) {
          if (error instanceof OtlpUnreadable) return { refused: error.message };
          throw error;
        }
      },
      () => success(encoding),
    );
  });
}

/** The JSON body parsed, or a string that no check finds fault with (the decoder then says why). */
function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return '';
  }
}
