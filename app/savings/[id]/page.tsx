import type { Metadata } from 'next';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { TextLink } from '@/components/text-link';
import { TimelineItem } from '@/components/timeline';
import { notFound } from 'next/navigation';
import { NoteEditor } from '@/components/notes/note-editor';
import { PageHeader } from '@/components/page-header';
import { getReadDb } from '@/server/database';
import { parseTimeParams } from '@/lib/time-range';
import { getNoteHistory, getSavingsEntry } from '@/db/queries/savings';
import { OPTIMIZATION_LABELS } from '@/lib/charts/savings-charts';
import { formatDateTime, formatTokens, formatUsd, formatUsdExact, formatZone } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import { parseRecordId } from '@/lib/record-id';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // Titles name records: the same check as the page.
  await requirePageRole('viewer');
  const id = parseRecordId((await params).id);
  return { title: id === null ? 'Savings entry not found' : `Savings entry #${id}` };
}

export default async function SavingsEntryPage({ params, searchParams }: Props) {
  const actor = await requirePageRole('viewer');
  const canEdit = hasRole(actor, 'editor');
  const id = parseRecordId((await params).id);
  if (id === null) notFound();
  const { current, ignored } = checkSearchParams(await searchParams, [timeParamsSchema]);
  const db = await getReadDb();
  const [entry, history] = await Promise.all([getSavingsEntry(db, id), getNoteHistory(db, id)]);
  if (!entry) notFound();
  const { tz } = parseTimeParams(current);
  const time = timeOnly(current);
  const facts: [string, React.ReactNode][] = [
    ['Saved at', `${formatDateTime(entry.savedAt, tz)} (${formatZone(tz)})`],
    ['Optimization type', OPTIMIZATION_LABELS[entry.type] ?? entry.type],
    [
      'Workflow',
      <TextLink
        key="w"
        href={hrefWith(`/workflows/${encodeURIComponent(entry.workflowId)}`, time)}
        className="font-mono"
      >
        {entry.workflowId}
      </TextLink>,
    ],
    [
      'Pattern',
      entry.patternId === null ? (
        '—'
      ) : (
        <TextLink
          key="p"
          href={hrefWith(`/patterns/${entry.patternId}`, time)}
          className="font-mono"
        >
          {entry.signature ?? `#${entry.patternId}`}
        </TextLink>
      ),
    ],
    [
      'Tool call',
      entry.toolCallId
        ? `${entry.toolCallId}${entry.toolCallKnown ? '' : ' (no tool_calls row)'}`
        : '—',
    ],
    ['Baseline tokens', entry.baseline === null ? '—' : formatTokens(entry.baseline)],
    ['Actual tokens', entry.actual === null ? '—' : formatTokens(entry.actual)],
    ['Tokens saved', entry.tokensSaved === null ? '—' : formatTokens(entry.tokensSaved)],
    [
      'USD saved',
      entry.usd === null ? (
        '—'
      ) : (
        <span key="usd" title={`${formatUsdExact(entry.usd)} as stored`}>
          {formatUsd(entry.usd)}
        </span>
      ),
    ],
  ];

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <TextLink href={hrefWith('/savings', time)}>← Savings</TextLink>
      </nav>
      <PageHeader ignored={ignored} title={`Savings entry #${entry.id}`} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card text-sm">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
                <dd className="tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card text-sm" aria-labelledby="note-heading">
          <h2 id="note-heading" className="mb-2 font-semibold">
            Note
          </h2>
          <NoteEditor id={entry.id} initial={entry.notes} canEdit={canEdit} />
          <h2 className="mt-6 mb-2 font-semibold">History</h2>
          {history.length === 0 ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              No change recorded. Changes made in Pattern Ledger appear here with who made them and
              when.
            </p>
          ) : (
            <ol className="space-y-3 text-xs" data-testid="note-history">
              {history.map((change) => (
                <TimelineItem key={change.id}>
                  <p className="text-slate-600 dark:text-slate-400">
                    {formatDateTime(change.changedAt, tz)} · {change.changedBy ?? 'unknown'}
                  </p>
                  <p className="mt-1 text-slate-500 dark:text-slate-400">Before</p>
                  <p className="whitespace-pre-wrap break-words">
                    {change.previousNotes ?? '(no note)'}
                  </p>
                  <p className="mt-1 text-slate-500 dark:text-slate-400">After</p>
                  <p className="whitespace-pre-wrap break-words">
                    {change.newNotes ?? '(no note)'}
                  </p>
                </TimelineItem>
              ))}
            </ol>
          )}
        </section>
      </div>
    </>
  );
}
