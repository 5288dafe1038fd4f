import type { ReactNode } from 'react';

/**
 * The box every data table sits in: it scrolls sideways on narrow screens, and is `relative` so
 * the screen-reader-only text in sort headers stays inside it instead of widening the page. Its
 * width comes from its container, never from the table (inline-size containment), so a wide
 * table cannot widen a grid column or the page.
 */
export function TableFrame({ children }: { children: ReactNode }) {
  return (
    // Focusable, so a keyboard can scroll a table wider than the screen.
    <div
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg [contain:inline-size] border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      {children}
    </div>
  );
}

export const TABLE_HEAD_CLASS =
  'border-b border-slate-200 bg-slate-50 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-400';
