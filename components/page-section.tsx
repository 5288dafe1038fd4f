import type { ReactNode } from 'react';

/** A titled part of a page (a table and its tools), with an optional action (an export) beside the title. */
export function PageSection({
  id,
  title,
  action,
  children,
  className = 'mt-6',
}: {
  /** Names the heading, which labels the section. */
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={className} aria-labelledby={`${id}-heading`}>
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="mb-2 text-base font-semibold">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}
