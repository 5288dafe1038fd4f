/** A database id from a URL segment: digits only, within INTEGER; anything else is null. */
export function parseRecordId(value: string): number | null {
  if (!/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 && id <= 2_147_483_647 ? id : null;
}
