import { formatPercent, formatUsd } from '@/lib/format';

/** Two bars from zero on one scale: the stored monthly estimate and the actual monthly rate. */
export function EstimateVsActual({ estimated, actual }: { estimated: number; actual: number }) {
  const max = Math.max(estimated, actual, 0);
  const width = (value: number) =>
    max > 0 ? `${Math.max((value / max) * 100, value > 0 ? 0.5 : 0)}%` : '0%';
  const ratio = estimated > 0 ? actual / estimated : null;
  return (
    <div className="space-y-3 text-sm" data-testid="estimate-vs-actual">
      {[
        {
          label: 'Estimated / month',
          value: estimated,
          color: 'var(--chart-other)',
          testId: 'estimated-monthly',
        },
        {
          label: 'Actual / month',
          value: actual,
          color: 'var(--chart-2)',
          testId: 'actual-monthly',
        },
      ].map((bar) => (
        <div key={bar.label}>
          <div className="flex justify-between text-xs">
            <span>{bar.label}</span>
            <span className="font-mono tabular-nums" data-testid={bar.testId}>
              {formatUsd(bar.value)}
            </span>
          </div>
          <div className="mt-1 h-3 rounded bg-slate-100 dark:bg-slate-800" aria-hidden>
            <div
              className="h-3 rounded"
              style={{ width: width(bar.value), background: bar.color }}
            />
          </div>
        </div>
      ))}
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {ratio === null
          ? 'No estimate is stored for this pattern, so there is nothing to compare with.'
          : `Actual is ${formatPercent(ratio, 0)} of the estimate.`}{' '}
        The actual rate is the USD attributed in the range scaled to 30 days.
      </p>
    </div>
  );
}
