import type { Metadata } from 'next';
import { PageSection } from '@/components/page-section';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { notFound } from 'next/navigation';
import { occurrenceColumns } from '@/components/occurrence-columns';
import { DataTable } from '@/components/data-table';
import { savingsColumns } from '@/components/savings-columns';
import { TextLink } from '@/components/text-link';
import { PageHeader } from '@/components/page-header';
import { StatList } from '@/components/stat';
import { getReadDb } from '@/server/database';
import {
  getWorkflowMatches,
  getWorkflowSavings,
  getWorkflowTotals,
  resolveWorkflow,
  type WorkflowMatch,
  type WorkflowSavings,
} from '@/db/queries/workflows';
import { formatCount, formatDateTime, formatTokens, formatUsd, formatZone } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';
import { parseTimeParams } from '@/lib/time-range';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export const dynamic = 'force-dynamic';

function workflowIdFrom(segment: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return id.length > 0 && id.length <= 255 ? id : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // Titles name records: the same check as the page.
  await requirePageRole('viewer');
  const id = workflowIdFrom((await params).id);
  return { title: id ? `Workflow ${id}` : 'Workflow not found' };
}

export default async function WorkflowPage({ params, searchParams }: Props) {
  const actor = await requirePageRole('viewer');
  const canEdit = hasRole(actor, 'editor');
  const id = workflowIdFrom((await params).id);
  if (id === null) notFound();
  const { current, ignored } = checkSearchParams(await searchParams, [timeParamsSchema]);
  const { tz } = parseTimeParams(current);
  const time = timeOnly(current);
  const db = await getReadDb();
  const { ids, history } = await resolveWorkflow(db, id);
  const [totals, matches, savings] = await Promise.all([
    getWorkflowTotals(db, ids),
    getWorkflowMatches(db, ids),
    getWorkflowSavings(db, ids),
  ]);
  if (!history && totals.occurrences === 0 && totals.entries === 0) notFound();

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <TextLink href={hrefWith('/workflows', time)}>← Workflows</TextLink>
      </nav>
      <PageHeader
        ignored={ignored}
        title={`Workflow ${id}`}
        description={
          <>
            {ids.length > 1 ? `Also recorded as ${ids.filter((x) => x !== id).join(', ')}. ` : ''}
            All of this workflow&apos;s rows, whatever the time range. Times in {formatZone(tz)}.
          </>
        }
      />
      <section aria-label="Workflow history" className="mb-4 card text-sm">
        {history ? (
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 md:grid-cols-4">
            {(
              [
                ['Status', history.status ?? '—'],
                ['Template', history.template ?? '—'],
                ['Model', history.model ?? '—'],
                ['Issue', history.issueNumber ?? '—'],
                ['Started', formatDateTime(history.startTime, tz)],
                ['Ended', formatDateTime(history.endTime, tz)],
                [
                  'Total tokens',
                  history.totalTokens === null ? '—' : formatTokens(history.totalTokens),
                ],
                [
                  'Cost: estimated → actual',
                  `${history.estimatedCost === null ? '—' : formatUsd(history.estimatedCost)} → ${history.actualCost === null ? '—' : formatUsd(history.actualCost)}`,
                ],
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
                <dd className="mt-0.5">{value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="text-amber-800 dark:text-amber-300" data-testid="no-history">
            No workflow_history row has this id (as adw_id or workflow_id). Its occurrences and
            savings are shown below; the run itself was not recorded.
          </p>
        )}
      </section>

      <StatList
        className="mb-4 grid-cols-2 md:grid-cols-5"
        stats={[
          {
            label: 'Occurrences',
            value: formatCount(totals.occurrences),
            testId: 'wf-occurrences',
          },
          { label: 'Patterns matched', value: formatCount(totals.patterns), testId: 'wf-patterns' },
          { label: 'Savings entries', value: formatCount(totals.entries), testId: 'wf-entries' },
          { label: 'Tokens saved', value: formatTokens(totals.tokens), testId: 'wf-tokens' },
          { label: 'USD saved', value: formatUsd(totals.usd), testId: 'wf-usd' },
        ]}
      />

      <PageSection id="matches" title="Patterns matched" className="mb-6">
        <DataTable
          testId="workflow-matches"
          rows={matches}
          rowKey={(m) => m.occurrenceId}
          empty="This workflow matched no pattern."
          columns={occurrenceColumns<WorkflowMatch>(tz, {
            header: 'Pattern',
            cell: (m) => (
              <TextLink href={hrefWith(`/patterns/${m.patternId}`, time)}>
                {m.signature ?? `#${m.patternId}`}
              </TextLink>
            ),
          })}
        />
      </PageSection>

      <PageSection id="savings" title="Savings entries" className="">
        <DataTable
          testId="workflow-savings"
          rows={savings}
          rowKey={(entry) => entry.id}
          rowAttributes={(entry) => ({ 'data-entry-id': entry.id, className: 'align-top' })}
          empty="No savings were logged for this workflow."
          columns={savingsColumns<WorkflowSavings>({ tz, time, canEdit })}
        />
      </PageSection>
    </>
  );
}
