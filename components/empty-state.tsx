import type { ReactNode } from 'react';

/** Says what is missing and what would fill it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <h2 className="text-base font-medium">{title}</h2>
      {children ? (
        <div className="mx-auto mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-400">
          {children}
        </div>
      ) : null}
    </div>
  );
}
