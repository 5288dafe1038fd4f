import type { ReactNode } from 'react';

/** A white panel with an optional small heading: the frame of every box beside the charts. */
export function Card({
  title,
  action,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  /** Beside the title, on the right: a link to more. */
  action?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={className ? `card ${className}` : 'card'} data-testid={testId}>
      {action ? (
        <div className="mb-2 flex items-baseline justify-between gap-2">
          <h2 className="text-sm font-semibold">{title}</h2>
          {action}
        </div>
      ) : title ? (
        <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      ) : null}
      {children}
    </section>
  );
}
