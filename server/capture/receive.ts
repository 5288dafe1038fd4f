import 'server-only';
/**
 * What every capture receiver does: the API key (capture or write scope), the body (within
 * API_MAX_BODY_BYTES, NUL-free, at most 32 levels deep), the events stored once each. A refusal
 * stores nothing and says why; the events are turned into occurrences and savings by the capture
 * step (server/capture/worker.ts) within a second or so.
 */
import type { CapturedEvent } from '@/lib/capture/event';
import { apiError } from '@/lib/api/responses';
import { insertCaptureEvents } from '@/db/capture/events';
import { getDb } from '../database';
import { settings } from '../settings';
import { authenticateApiRequest } from '../api/authenticate';
import { readBody } from '@/lib/api/body';

export type Parsed = { events: CapturedEvent[] } | { refused: string; status?: number };

/** Up to this many events in one request (a forwarder's spool, an OTLP batch). */
export const MAX_CAPTURE_EVENTS = 5000;

export async function receiveCapture(
  request: Request,
  parse: (body: Uint8Array, receivedAt: Date) => Parsed | Promise<Parsed>,
  answer: (stored: number, received: number) => Response,
): Promise<Response> {
  const db = await getDb();
  const caller = await authenticateApiRequest(db, request, 'capture');
  if (caller instanceof Response) return caller;
  const body = await readBody(request, settings().apiMaxBodyBytes);
  if (body instanceof Response) return body;
  const parsed = await parse(body, new Date());
  if ('refused' in parsed) return apiError(parsed.status ?? 400, parsed.refused);
  if (parsed.events.length > MAX_CAPTURE_EVENTS)
    return apiError(
      413,
      `At most ${MAX_CAPTURE_EVENTS} events in one request; send smaller batches.`,
    );
  const stored = await insertCaptureEvents(db, parsed.events);
  return answer(stored, parsed.events.length);
}
