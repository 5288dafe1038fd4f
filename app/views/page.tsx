import type { Metadata } from 'next';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { TextLink } from '@/components/text-link';
import { listViews } from '@/db/queries/views';
import { formatDateTime } from '@/lib/format';
import { describeViewParams, MAX_PINS, viewHref, viewPageLabel } from '@/lib/saved-views';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { ViewActions } from './view-actions';

export const metadata: Metadata = { title: 'Saved views' };
export const dynamic = 'force-dynamic';

export default async function ViewsPage() {
  const actor = await requirePageRole('viewer');
  const views = await listViews(await getReadDb(), actor.id);
  const pinned = views.filter((v) => v.pinned).length;
  return (
    <>
      <PageHeader
        title="Saved views"
        description={`Your views and the ones others shared. Save one with “Save view” under any page's time range; pin up to ${MAX_PINS} to the overview (${pinned} pinned).`}
      />
      <DataTable
        roomy
        testId="saved-views"
        rows={views}
        rowKey={(view) => view.id}
        rowAttributes={(view) => ({ 'data-view': view.name })}
        empty="No saved views yet. Open a page, set its range and filters, and choose “Save view”."
        columns={[
          {
            header: 'View',
            cell: (view) => (
              <>
                <TextLink href={viewHref(view.page, view.params)}>{view.name}</TextLink>
                <span className="block max-w-md truncate text-xs text-slate-500 dark:text-slate-400">
                  {viewPageLabel(view.page)} · {describeViewParams(view.params)}
                </span>
              </>
            ),
          },
          {
            header: 'Owner',
            key: 'owner',
            cell: (view) => (view.mine ? 'you' : view.ownerName),
          },
          {
            header: 'Shared',
            key: 'shared',
            cell: (view) => (view.shared ? 'with everyone' : 'private'),
          },
          {
            header: 'Changed (UTC)',
            key: 'changed',
            className: 'whitespace-nowrap tabular-nums',
            cell: (view) => formatDateTime(view.updatedAt, 'UTC'),
          },
          {
            header: 'Actions',
            align: 'right',
            cell: (view) => (
              <ViewActions
                id={view.id}
                name={view.name}
                mine={view.mine}
                shared={view.shared}
                pinned={view.pinned}
              />
            ),
          },
        ]}
      />
    </>
  );
}
