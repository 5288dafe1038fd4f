import { otlpReceiver } from '@/server/capture/otlp-route';

export const dynamic = 'force-dynamic';

/** OpenTelemetry logs (Claude Code's events) over OTLP/HTTP, protobuf or JSON: docs/capture.md. */
export const POST = otlpReceiver('logs');
