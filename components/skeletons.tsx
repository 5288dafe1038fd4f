/** Placeholders in the shape of what is loading. */
const block = 'animate-pulse rounded bg-slate-200 dark:bg-slate-800';

export function StatsSkeleton({ count }: { count: number }) {
  return (
    <div
      className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6"
      aria-hidden
      data-testid="skeleton"
    >
      {Array.from({ length: count }, (_, i) => (
        <div
          key={i}
          className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
        >
          <div className={`${block} h-3 w-20`} />
          <div className={`${block} mt-2 h-6 w-24`} />
          <div className={`${block} mt-2 h-3 w-28`} />
        </div>
      ))}
    </div>
  );
}

export function ChartSkeleton({ height = 260 }: { height?: number }) {
  return (
    <div className="card shadow-none" aria-hidden data-testid="skeleton">
      <div className={`${block} h-4 w-40`} />
      <div className="mt-4 flex items-end gap-1" style={{ height }}>
        {Array.from({ length: 24 }, (_, i) => (
          <div
            key={i}
            className={`${block} flex-1`}
            style={{ height: `${30 + ((i * 37) % 60)}%` }}
          />
        ))}
      </div>
    </div>
  );
}

export function ListSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div className="card shadow-none" aria-hidden data-testid="skeleton">
      <div className={`${block} h-4 w-32`} />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="mt-3 flex justify-between gap-4">
          <div className={`${block} h-3 w-2/3`} />
          <div className={`${block} h-3 w-12`} />
        </div>
      ))}
    </div>
  );
}
