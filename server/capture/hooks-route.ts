import 'server-only';
import { hookEvents } from '@/lib/capture/hooks';
import { jsonProblem } from '@/lib/text-safety';
import { handleRoute } from '../api/handle-route';
import { receiveCapture } from './receive';

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Claude Code's hook input, as an HTTP hook posts it or the Python forwarder sends it (capture
 * scope): one event, or a list of them. Answers 200 with an empty JSON object, which Claude Code
 * reads as "no decision", so a hook posting here never changes what the agent does.
 */
export const hooksReceiver = handleRoute(async (request: Request) =>
  receiveCapture(
    request,
    (bytes, receivedAt) => {
      if (!JSON_TYPE.test(request.headers.get('content-type') ?? ''))
        return {
          refused: 'Send the hook input as JSON (Content-Type: application/json).',
          status: 415,
        };
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch (error) {
        return { refused: `The body is not valid JSON: ${(error as Error).message}` };
      }
      const unstorable = jsonProblem(value);
      if (unstorable) return { refused: `The hook input ${unstorable}.` };
      return hookEvents(value, receivedAt);
    },
    (stored, received) =>
      Response.json({}, { headers: { 'x-pattern-ledger-stored': `${stored}/${received}` } }),
  ),
);
