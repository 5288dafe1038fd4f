import 'server-only';
import { hooksReceiver } from './hooks-route';
import { otlpReceiver } from './otlp-route';

/**
 * The capture receivers by path, as their routes export them. The production server (scripts/
 * start.mjs) also serves them from a bundle of this module (scripts/build-receivers.mjs) ahead
 * of Next.js: they take an event per tool call from every agent of a team, and Next.js's own work
 * per request is several times theirs.
 */
export const RECEIVERS: Record<string, (request: Request) => Promise<Response>> = {
  '/api/v1/hooks/claude-code': hooksReceiver,
  '/v1/logs': otlpReceiver('logs'),
  '/v1/metrics': otlpReceiver('metrics'),
};
