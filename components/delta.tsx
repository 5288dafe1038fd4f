import { formatPercent } from '@/lib/format';

/**
 * The change against the previous period: relative for amounts, in percentage points for ratios;
 * "no data" when the previous period is empty, never a made-up 0 %.
 */
export function Delta({
  current,
  previous,
  kind = 'relative',
  periodLabel,
}: {
  current: number | null;
  previous: number | null | undefined;
  kind?: 'relative' | 'points';
  periodLabel: string;
}) {
  if (previous === null || previous === undefined || current === null) {
    return (
      <span className="text-slate-500 dark:text-slate-400" data-testid="delta">
        no data for the {periodLabel}
      </span>
    );
  }
  let raw: number;
  if (kind === 'points') {
    raw = current - previous;
  } else {
    if (previous === 0) {
      return (
        <span className="text-slate-500 dark:text-slate-400" data-testid="delta">
          none in the {periodLabel}
        </span>
      );
    }
    raw = (current - previous) / previous;
  }
  // Shown to a tenth of a percent (or point): a change that rounds to zero is no change, and
  // is neither red nor green.
  const change = Math.round(raw * 1000) / 1000;
  const sign = change < 0 ? '−' : '+';
  const text =
    kind === 'points'
      ? `${sign}${Math.abs(change * 100).toFixed(1)} pts`
      : `${sign}${formatPercent(Math.abs(change)).replace(' %', '%')}`;
  const color =
    change > 0
      ? 'text-emerald-700 dark:text-emerald-400'
      : change < 0
        ? 'text-rose-700 dark:text-rose-400'
        : 'text-slate-500 dark:text-slate-400';
  return (
    <span className={color} data-testid="delta">
      <span aria-hidden>{change > 0 ? '▲ ' : change < 0 ? '▼ ' : ''}</span>
      {text} vs the {periodLabel}
    </span>
  );
}
