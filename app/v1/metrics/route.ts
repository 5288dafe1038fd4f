import { otlpReceiver } from '@/server/capture/otlp-route';

export const dynamic = 'force-dynamic';

/** OpenTelemetry metrics (Claude Code's token and cost counters) over OTLP/HTTP: docs/capture.md. */
export const POST = otlpReceiver('metrics');
