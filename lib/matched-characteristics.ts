/** `matched_characteristics` is JSON stored as text; real databases hold invalid JSON there. */
export type Characteristics =
  | { kind: 'none' }
  | { kind: 'invalid'; raw: string }
  | { kind: 'object'; entries: [string, string][] }
  | { kind: 'value'; text: string };

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(describe).join(', ');
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function parseCharacteristics(raw: string | null): Characteristics {
  if (raw === null || raw.trim() === '') return { kind: 'none' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', raw };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return {
      kind: 'object',
      entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k.replaceAll('_', ' '),
        describe(v),
      ]),
    };
  }
  return { kind: 'value', text: describe(value) };
}
