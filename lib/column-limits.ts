/**
 * What a column of a given PostgreSQL type holds, read from the type's name as `format_type`
 * writes it (`real`, `numeric(10,4)`, `character varying(255)`, …), so that input is checked
 * against the agents' real columns and refused with a reason instead of by the database.
 */

export type NumberLimit = {
  /** Whole numbers only. */
  integer: boolean;
  /** Largest magnitude the column stores. */
  max: number;
  /** Smallest non-zero magnitude (REAL underflows below it). */
  minNonZero: number;
  /** Decimal places kept (NUMERIC(p,s)); values are rounded to them. */
  scale: number | null;
  type: string;
};

const REAL_MAX = 3.4028234663852886e38;
const REAL_MIN_NORMAL = 1.1754943508222875e-38;

export function numberLimit(type: string | undefined): NumberLimit {
  const t = (type ?? 'double precision').toLowerCase();
  if (t === 'integer' || t === 'int4')
    return { integer: true, max: 2_147_483_647, minNonZero: 1, scale: 0, type: t };
  if (t === 'smallint') return { integer: true, max: 32_767, minNonZero: 1, scale: 0, type: t };
  if (t === 'bigint')
    return { integer: true, max: Number.MAX_SAFE_INTEGER, minNonZero: 1, scale: 0, type: t };
  if (t === 'real')
    return { integer: false, max: REAL_MAX, minNonZero: REAL_MIN_NORMAL, scale: null, type: t };
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(t.replace(/\s/g, ''));
  if (numeric) {
    const precision = Number(numeric[1]);
    const scale = Number(numeric[2]);
    // The largest value that still rounds to fewer than precision − scale whole digits.
    const max = 10 ** (precision - scale) - 10 ** -scale / 2;
    return { integer: scale === 0, max, minNonZero: 0, scale, type: t };
  }
  // double precision, numeric without a typmod: every finite JavaScript number.
  return { integer: false, max: Number.MAX_VALUE, minNonZero: 0, scale: null, type: t };
}

/** Why `value` would not fit the column, or null when it fits. */
export function numberProblem(value: number, limit: NumberLimit): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (limit.integer && !Number.isInteger(value)) return 'must be a whole number';
  const magnitude = Math.abs(value);
  if (magnitude > limit.max)
    return `is too large for the column (${limit.type} holds at most ${limit.max.toPrecision(6)})`;
  if (magnitude !== 0 && magnitude < limit.minNonZero)
    return `is too small for the column (${limit.type} holds nothing between 0 and ${limit.minNonZero.toPrecision(3)})`;
  return null;
}

/** The longest text a column holds (`character varying(n)`), or null for no limit. */
export function textLimit(type: string | undefined): number | null {
  const match = /^(?:character varying|varchar|character|char)\((\d+)\)$/.exec(
    (type ?? '').toLowerCase(),
  );
  return match ? Number(match[1]) : null;
}
