import { Card } from '@/components/card';
import { TextLink } from '@/components/text-link';
import { TimelineItem } from '@/components/timeline';
import { getReadDb } from '@/server/database';
import { getRecentNotes } from '@/db/queries/overview';
import { formatDateTime, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';
import type { ResolvedRange } from '@/lib/time-range';

export async function RecentNotes({
  range,
  current,
}: {
  range: ResolvedRange;
  current: SearchParams;
}) {
  const rows = await getRecentNotes(await getReadDb());
  const time = timeOnly(current);
  return (
    <Card title="Recent notes">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No savings entry has a note yet. Add one from the savings log; it will show here.
        </p>
      ) : (
        <ul className="space-y-2 text-xs" data-testid="recent-notes">
          {rows.map((row) => (
            <TimelineItem key={row.savingsId}>
              <p className="line-clamp-2 whitespace-pre-wrap break-words">
                {row.notes ?? '(note cleared)'}
              </p>
              <p className="mt-0.5 text-slate-500 dark:text-slate-400">
                <TextLink href={hrefWith(`/savings/${row.savingsId}`, time)} className="underline">
                  Entry #{row.savingsId}
                </TextLink>{' '}
                · {row.workflowId} · {row.usd === null ? '—' : formatUsd(row.usd)} ·{' '}
                {row.edited ? 'edited' : 'saved'} {formatDateTime(row.changedAt, range.tz)}
                {row.changedBy ? ` by ${row.changedBy}` : ''}
              </p>
            </TimelineItem>
          ))}
        </ul>
      )}
    </Card>
  );
}
