/** PostgreSQL write-ahead log positions (`16/B374D848`): compared as 64-bit numbers. */

export function parseLsn(text: string): bigint | null {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Whether the log has reached `wanted` at `position` (a malformed position has not). */
export function lsnReached(position: string, wanted: string): boolean {
  const at = parseLsn(position);
  const target = parseLsn(wanted);
  return at !== null && target !== null && at >= target;
}
