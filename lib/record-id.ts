import { z } from 'zod';

/** A database id from a URL segment: digits only, within INTEGER; anything else is null. */
export function parseRecordId(value: string): number | null {
  if (!/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 && id <= 2_147_483_647 ? id : null;
}

const notAnId = { error: 'The request was malformed: that is not an id.' };

/** An action's `{ id }` naming one of Pattern Ledger's own rows (BIGINT ids, JavaScript-safe). */
export const recordIdInput = z.object({
  id: z.coerce.number(notAnId).int(notAnId).positive(notAnId).max(Number.MAX_SAFE_INTEGER, notAnId),
});
