/**
 * Sending what the outbox holds. Due rows are claimed with a lease (db/mutations/alerts.ts), sent
 * side by side, and each is marked as soon as its own send ends: a slow channel delays only its
 * own rows. A failure is retried with a doubling pause; after MAX_ATTEMPTS the row is marked
 * failed and the rule's page shows why.
 *
 * Exactly once within Pattern Ledger: a row is claimed by one process at a time, and a row whose
 * process died before sending is sent when its lease ends. A process that dies after the receiver
 * took the message but before marking it sent cannot know the message arrived; the row is sent
 * again with the same delivery id (header and Message-ID), which receivers use to drop repeats.
 */
import {
  claimDeliveries,
  markDelivered,
  markFailed,
  type ClaimedDelivery,
} from '@/db/mutations/alerts';
import type { Database } from '@/db/types';
import { send, SEND_TIMEOUT_MS, type Senders } from './send';

export const MAX_ATTEMPTS = 6;
export const FIRST_RETRY_MS = 30_000;
/** Longer than a send may take, so a live sender's rows are never taken from it. */
export const LEASE_MS = 6 * SEND_TIMEOUT_MS;

/** The pause before attempt `attempts + 1`: 30 s, 1 min, 2 min, 4 min, 8 min. */
export function retryDelay(attempts: number): number {
  return FIRST_RETRY_MS * 2 ** Math.max(attempts - 1, 0);
}

export type DeliveryOptions = {
  senders: Senders;
  limit?: number;
  /** Called after a send and before it is marked (tests kill here). */
  afterSend?: (delivery: ClaimedDelivery) => Promise<void> | void;
  /** The clock for marks and retries (tests move it; defaults to the claim's `now`). */
  clock?: () => Date;
};

export type DeliveryOutcome = { id: number; ok: boolean; error?: string };

async function deliverOne(
  db: Database,
  delivery: ClaimedDelivery,
  now: Date,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  try {
    await send(delivery, now, options.senders);
  } catch (error) {
    const reason = (error as Error).message || String(error);
    const at = options.clock?.() ?? now;
    const retryAt =
      delivery.attempts >= MAX_ATTEMPTS
        ? null
        : new Date(at.getTime() + retryDelay(delivery.attempts));
    await markFailed(db, delivery.id, reason, retryAt);
    return { id: delivery.id, ok: false, error: reason };
  }
  await options.afterSend?.(delivery);
  await markDelivered(db, delivery.id, options.clock?.() ?? now);
  return { id: delivery.id, ok: true };
}

/** Claims the deliveries due at `now` and sends them, each on its own. */
export async function deliverDue(
  db: Database,
  now: Date,
  options: DeliveryOptions,
): Promise<DeliveryOutcome[]> {
  const claimed = await claimDeliveries(db, now, LEASE_MS, options.limit ?? 50);
  return Promise.all(claimed.map((delivery) => deliverOne(db, delivery, now, options)));
}
