import type { ReactNode } from 'react';

/** Says what is missing and what would fill it. */
export function EmptyState({
  title,
  children,
  level = 2,
}: {
  title: string;
  children?: ReactNode;
  /** 1 when the empty state is the whole page (not-found pages). */
  level?: 1 | 2;
}) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <Heading className="text-base font-medium">{title}</Heading>
      {children ? (
        <div className="mx-auto mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-400">
          {children}
        </div>
      ) : null}
    </div>
  );
}
