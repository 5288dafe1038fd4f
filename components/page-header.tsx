import type { ReactNode } from 'react';
import type { IgnoredParam } from '@/lib/url-params';
import { IgnoredParams } from './ignored-params';

export function PageHeader({
  title,
  description,
  actions,
  ignored = [],
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** URL parameters the page set aside (checkSearchParams). */
  ignored?: IgnoredParam[];
}) {
  return (
    <>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          {description ? (
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{description}</p>
          ) : null}
        </div>
        {actions}
      </div>
      <IgnoredParams ignored={ignored} />
    </>
  );
}
