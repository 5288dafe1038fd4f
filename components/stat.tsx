import type { ReactNode } from 'react';

export type StatSpec = {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  testId?: string;
};

/** One labelled figure. */
export function Stat({ label, value, hint, testId }: StatSpec) {
  return (
    <div className="card p-3">
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</dd> : null}
    </div>
  );
}

/** A row of figures (it wraps on narrow screens); `className` sets its grid columns and margin. */
export function StatList({
  stats,
  className = 'mb-4 grid-cols-2 md:grid-cols-5',
  testId,
}: {
  stats: StatSpec[];
  className?: string;
  testId?: string;
}) {
  return (
    <dl className={`grid gap-3 ${className}`} data-testid={testId}>
      {stats.map((stat) => (
        <Stat key={stat.label} {...stat} />
      ))}
    </dl>
  );
}
