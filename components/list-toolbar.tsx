import type { ReactNode } from 'react';
import { ExportLink } from './export-link';

/** Above a list: its filters on the left, the CSV export of what they select on the right. */
export function ListToolbar({ exportHref, children }: { exportHref: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-2">
      {children}
      <ExportLink href={exportHref} />
    </div>
  );
}
