import { StatusBadge } from '@/components/status-badge';
import { DataTable } from '@/components/data-table';
import type { ReviewHistoryRow } from '@/db/queries/review';
import { formatDateTime } from '@/lib/format';

const ACTION_LABELS: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  comment: 'commented',
  set_status: 'set status',
  approval: 'approval record',
};

/** Who reviewed a pattern, when, what the status became, and why. */
export function ReviewHistory({ rows, tz }: { rows: ReviewHistoryRow[]; tz: string }) {
  if (rows.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No reviews yet.</p>;
  }
  return (
    <DataTable
      roomy
      testId="review-history"
      rows={rows}
      rowKey={(row) => row.id}
      columns={[
        {
          header: 'When',
          className: 'whitespace-nowrap tabular-nums',
          cell: (row) => formatDateTime(row.reviewedAt, tz),
        },
        {
          header: 'Who',
          cell: (row) => (
            <>
              {row.reviewedBy}
              {row.source === 'agents' ? (
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  in the agents&apos; review tables
                </span>
              ) : null}
            </>
          ),
        },
        { header: 'Action', cell: (row) => ACTION_LABELS[row.action] ?? row.action },
        {
          header: 'Status',
          className: 'whitespace-nowrap',
          cell: (row) =>
            row.previousStatus === row.newStatus ? (
              <StatusBadge status={row.newStatus} />
            ) : (
              <>
                <StatusBadge status={row.previousStatus} /> → <StatusBadge status={row.newStatus} />
              </>
            ),
        },
        { header: 'Note', className: 'whitespace-pre-wrap', cell: (row) => row.note ?? '—' },
      ]}
    />
  );
}
