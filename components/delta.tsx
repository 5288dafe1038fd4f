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
  let text: string;
  let change: number;
  if (kind === 'points') {
    change = current - previous;
    text = `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)} pts`;
  } else {
    if (previous === 0) {
      return (
        <span className="text-slate-500 dark:text-slate-400" data-testid="delta">
          none in the {periodLabel}
        </span>
      );
    }
    change = (current - previous) / previous;
    text = `${change >= 0 ? '+' : '−'}${formatPercent(Math.abs(change)).replace(' %', '%')}`;
  }
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
