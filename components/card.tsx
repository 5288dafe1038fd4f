import type { ReactNode } from 'react';

/** A white panel with an optional small heading: the frame of every box beside the charts. */
export function Card({
  title,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={className ? `card ${className}` : 'card'} data-testid={testId}>
      {title ? <h2 className="mb-2 text-sm font-semibold">{title}</h2> : null}
      {children}
    </section>
  );
}
