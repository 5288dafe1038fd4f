import type { ReactNode } from 'react';

/** A titled panel for one chart; an empty chart shows why it is empty instead of blank axes. */
export function ChartCard({
  title,
  description,
  empty,
  children,
  actions,
}: {
  title: string;
  description?: ReactNode;
  empty?: string | null;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card">
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-sm font-semibold">{title}</h2>
          {description ? (
            <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{description}</p>
          ) : null}
        </div>
        {actions}
      </div>
      {empty ? (
        <div
          className="flex h-48 items-center justify-center rounded-md border border-dashed border-slate-300 px-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400"
          data-testid="chart-empty"
        >
          {empty}
        </div>
      ) : (
        children
      )}
    </section>
  );
}
