import type { ReactNode } from 'react';

/** One event of a vertical list of events (notes, note changes, reviews), marked by a rule. */
export function TimelineItem({ children }: { children: ReactNode }) {
  return <li className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">{children}</li>;
}
