import { StatusBadge } from '@/components/status-badge';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import type { ReviewHistoryRow } from '@/db/queries/review';
import { formatDateTime } from '@/lib/format';

const cell = 'px-3 py-2 align-top';
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
    <TableFrame>
      <table className="w-full text-sm" data-testid="review-history">
        <thead className={TABLE_HEAD_CLASS}>
          <tr>
            {['When', 'Who', 'Action', 'Status', 'Note'].map((heading) => (
              <th key={heading} scope="col" className={`${cell} text-left font-medium`}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={row.id}>
              <td className={`${cell} whitespace-nowrap tabular-nums`}>
                {formatDateTime(row.reviewedAt, tz)}
              </td>
              <td className={cell}>
                {row.reviewedBy}
                {row.source === 'agents' ? (
                  <span className="block text-xs text-slate-500 dark:text-slate-400">
                    in the agents&apos; review tables
                  </span>
                ) : null}
              </td>
              <td className={cell}>{ACTION_LABELS[row.action] ?? row.action}</td>
              <td className={`${cell} whitespace-nowrap`}>
                {row.previousStatus === row.newStatus ? (
                  <StatusBadge status={row.newStatus} />
                ) : (
                  <>
                    <StatusBadge status={row.previousStatus} /> →{' '}
                    <StatusBadge status={row.newStatus} />
                  </>
                )}
              </td>
              <td className={`${cell} whitespace-pre-wrap`}>{row.note ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
