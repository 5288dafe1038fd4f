import type { Metadata } from 'next';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MatchedCharacteristics } from '@/components/matched-characteristics';
import { NoteEditor } from '@/components/notes/note-editor';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import { getDb } from '@/server/database';
import {
  getWorkflowMatches,
  getWorkflowSavings,
  getWorkflowTotals,
  resolveWorkflow,
} from '@/db/queries/workflows';
import { OPTIMIZATION_LABELS } from '@/lib/charts/savings-charts';
import {
  formatCount,
  formatDateTime,
  formatPercent,
  formatTokens,
  formatUsd,
  formatZone,
} from '@/lib/format';
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

const cell = 'px-2 py-1.5';

export default async function WorkflowPage({ params, searchParams }: Props) {
  const actor = await requirePageRole('viewer');
  const canEdit = hasRole(actor, 'editor');
  const id = workflowIdFrom((await params).id);
  if (id === null) notFound();
  const { current, ignored } = checkSearchParams(await searchParams, [timeParamsSchema]);
  const { tz } = parseTimeParams(current);
  const time = timeOnly(current);
  const db = await getDb();
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
        <Link href={hrefWith('/workflows', time)} className="text-link">
          ← Workflows
        </Link>
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

      <dl className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat label="Occurrences" value={formatCount(totals.occurrences)} testId="wf-occurrences" />
        <Stat label="Patterns matched" value={formatCount(totals.patterns)} testId="wf-patterns" />
        <Stat label="Savings entries" value={formatCount(totals.entries)} testId="wf-entries" />
        <Stat label="Tokens saved" value={formatTokens(totals.tokens)} testId="wf-tokens" />
        <Stat label="USD saved" value={formatUsd(totals.usd)} testId="wf-usd" />
      </dl>

      <section className="mb-6" aria-labelledby="matches-heading">
        <h2 id="matches-heading" className="mb-2 text-base font-semibold">
          Patterns matched
        </h2>
        <TableFrame>
          <table className="w-full text-xs" data-testid="workflow-matches">
            <thead className={TABLE_HEAD_CLASS}>
              <tr>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Detected
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Pattern
                </th>
                <th scope="col" className={`${cell} text-right font-medium`}>
                  Similarity
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Matched characteristics
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {matches.length === 0 ? (
                <tr>
                  <td
                    colSpan={4}
                    className="px-3 py-6 text-center text-slate-600 dark:text-slate-400"
                  >
                    This workflow matched no pattern.
                  </td>
                </tr>
              ) : (
                matches.map((m) => (
                  <tr key={m.occurrenceId}>
                    <td className={`${cell} whitespace-nowrap tabular-nums`}>
                      {formatDateTime(m.detectedAt, tz)}
                    </td>
                    <td className={`${cell} font-mono`}>
                      <Link href={hrefWith(`/patterns/${m.patternId}`, time)} className="text-link">
                        {m.signature ?? `#${m.patternId}`}
                      </Link>
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>
                      {formatPercent(m.similarity)}
                    </td>
                    <td className={cell}>
                      <MatchedCharacteristics raw={m.matchedCharacteristics} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </TableFrame>
      </section>

      <section aria-labelledby="savings-heading">
        <h2 id="savings-heading" className="mb-2 text-base font-semibold">
          Savings entries
        </h2>
        <TableFrame>
          <table className="w-full text-xs" data-testid="workflow-savings">
            <thead className={TABLE_HEAD_CLASS}>
              <tr>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Time
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Type
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Pattern
                </th>
                <th scope="col" className={`${cell} text-right font-medium`}>
                  Baseline
                </th>
                <th scope="col" className={`${cell} text-right font-medium`}>
                  Actual
                </th>
                <th scope="col" className={`${cell} text-right font-medium`}>
                  Saved tokens
                </th>
                <th scope="col" className={`${cell} text-right font-medium`}>
                  USD
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Notes
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {savings.length === 0 ? (
                <tr>
                  <td
                    colSpan={8}
                    className="px-3 py-6 text-center text-slate-600 dark:text-slate-400"
                  >
                    No savings were logged for this workflow.
                  </td>
                </tr>
              ) : (
                savings.map((s) => (
                  <tr key={s.id} className="align-top" data-entry-id={s.id}>
                    <td className={`${cell} whitespace-nowrap tabular-nums`}>
                      <Link href={hrefWith(`/savings/${s.id}`, time)} className="text-link">
                        {formatDateTime(s.savedAt, tz)}
                      </Link>
                    </td>
                    <td className={cell}>{OPTIMIZATION_LABELS[s.type] ?? s.type}</td>
                    <td className={`${cell} font-mono`}>
                      {s.patternId === null ? (
                        '—'
                      ) : (
                        <Link
                          href={hrefWith(`/patterns/${s.patternId}`, time)}
                          className="text-link"
                        >
                          {s.signature ?? `#${s.patternId}`}
                        </Link>
                      )}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>
                      {s.baseline === null ? '—' : formatTokens(s.baseline)}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>
                      {s.actual === null ? '—' : formatTokens(s.actual)}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>
                      {s.tokensSaved === null ? '—' : formatTokens(s.tokensSaved)}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>
                      {s.usd === null ? '—' : formatUsd(s.usd)}
                    </td>
                    <td className={`${cell} min-w-64`}>
                      <NoteEditor id={s.id} initial={s.notes} canEdit={canEdit} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </TableFrame>
      </section>
    </>
  );
}
