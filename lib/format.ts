/** Number and time formatting, pinned to one locale so server and browser agree. */
const LOCALE = 'en-US';

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD' });
const usdSmall = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});
const usdExact = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 3 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** Tokens with thousands separators (exact). */
export function formatTokens(value: number): string {
  return integer.format(value);
}

/** A plain quantity to three decimals at most (a ratio, hours, a % change). */
export function formatDecimal(value: number): string {
  return decimal.format(value);
}

export function formatCompact(value: number): string {
  return compact.format(value);
}

/** Dollars to the cent; amounts under a dollar (but not zero) to a hundredth of a cent. */
export function formatUsd(value: number): string {
  return Math.abs(value) < 1 && value !== 0 ? usdSmall.format(value) : usdCents.format(value);
}

/** Dollars with every stored digit that matters (tooltips, detail views). */
export function formatUsdExact(value: number): string {
  return usdExact.format(value);
}

/** A 0–1 ratio as a percentage. */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)} %`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(tz: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: tz, hourCycle: 'h23' });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** The largest instant a JavaScript Date holds (±275,760 years); PostgreSQL stores more. */
const LAST_DATE_MS = 8.64e15;

/**
 * `2026-03-02 14:05` in the zone (ISO-like, unambiguous, sortable). Times a Date cannot hold
 * (PostgreSQL's 'infinity', year 294276) are said in words.
 */
export function formatDateTime(ms: number | null | undefined, tz: string): string {
  if (ms === null || ms === undefined) return '—';
  if (ms === Infinity) return 'infinity';
  if (ms === -Infinity) return '-infinity';
  if (!(Math.abs(ms) <= LAST_DATE_MS)) return 'out of range';
  const parts = dateTimeFormat(tz, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function formatDate(ms: number | null | undefined, tz: string): string {
  return formatDateTime(ms, tz).slice(0, 10);
}

/** `14:03:12`: a moment of today in the zone, to the second (when a live page was updated). */
export function formatClock(ms: number, tz: string): string {
  const parts = dateTimeFormat(tz, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('hour')}:${get('minute')}:${get('second')}`;
}

/** A zone's name as the page states it: "UTC" or "Asia/Kolkata (UTC+05:30)". */
export function formatZone(tz: string, at: number = Date.now()): string {
  if (tz === 'UTC') return 'UTC';
  const name = dateTimeFormat(tz, { timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  return `${tz} (${(name ?? '').replace('GMT', 'UTC') || 'UTC'})`;
}
