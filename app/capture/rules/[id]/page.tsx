import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { getCaptureRule } from '@/db/queries/capture';
import { formatDateTime } from '@/lib/format';
import { parseRecordId } from '@/lib/record-id';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { RuleEditor } from '../../capture-forms';

export const metadata: Metadata = { title: 'Rule · Capture' };
export const dynamic = 'force-dynamic';

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageRole('admin');
  const id = parseRecordId((await params).id);
  const rule = id === null ? null : await getCaptureRule(await getReadDb(), id);
  if (!rule) notFound();
  return (
    <>
      <PageHeader
        title={`Rule: ${rule.name}`}
        description={`Version ${rule.version}${rule.builtin ? ', shipped with Pattern Ledger' : ''}. Saving makes a new version; what earlier versions derived stays until you re-derive. Times in UTC.`}
      />
      <RuleEditor rule={rule} />
      <h2 className="mt-6 mb-2 text-base font-semibold">Versions</h2>
      <DataTable
        testId="rule-versions"
        rows={rule.versions}
        rowKey={(v) => v.version}
        columns={[
          { header: 'Version', align: 'right', cell: (v) => v.version },
          {
            header: 'Saved',
            cell: (v) => `${formatDateTime(v.savedAt, 'UTC')} by ${v.savedBy ?? 'unknown'}`,
          },
          { header: 'Matches', className: 'break-all font-mono text-xs', cell: (v) => v.match },
          { header: 'Signature', className: 'font-mono text-xs', cell: (v) => v.signature },
          { header: 'On', cell: (v) => (v.enabled ? 'on' : 'off') },
        ]}
      />
    </>
  );
}
