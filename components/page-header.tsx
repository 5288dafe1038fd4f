import type { ReactNode } from 'react';
import type { IgnoredParam } from '@/lib/url-params';
import type { ResolvedRange } from '@/lib/time-range';
import { REFRESH_SECONDS } from '@/lib/time-range';
import { IgnoredParams } from './ignored-params';
import { LiveRefresh } from './live-refresh';
import { RangeNote } from './range-note';
import { SaveView } from './save-view';
import { TimeRangeControl } from './time-range-control';

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

/**
 * A page over a time range: its title, what the range is (after `lead`), the range control, and
 * when the page is live, when its data was last updated.
 */
export function RangePageHeader({
  title,
  range,
  ignored,
  lead,
  version,
}: {
  title: string;
  range: ResolvedRange;
  /** The data's version (getLiveVersion) when the page is live. */
  version?: string | null;
  ignored: IgnoredParam[];
  /** Said before the range. */
  lead?: ReactNode;
}) {
  const refresh = range.params.refresh;
  const live =
    refresh && refresh !== 'off' && version != null
      ? { seconds: REFRESH_SECONDS[refresh], version }
      : null;
  return (
    <PageHeader
      ignored={ignored}
      title={title}
      description={
        <>
          {lead ? <>{lead} </> : null}
          <RangeNote range={range} />
        </>
      }
      actions={
        <div className="flex flex-col items-end gap-1">
          <TimeRangeControl value={range.params} shownGranularity={range.granularity} />
          <div className="flex items-center gap-3">
            {live ? <LiveRefresh {...live} tz={range.tz} /> : null}
            <SaveView />
          </div>
        </div>
      }
    />
  );
}
