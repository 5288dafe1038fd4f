import { Card } from '@/components/card';
import { TextLink } from '@/components/text-link';
import type { DerivedOccurrence, DerivedSummary } from '@/db/queries/capture';
import { formatCount, formatDateTime, formatUsd } from '@/lib/format';

/** What the rules derived from the range's events, and the latest occurrences. */
export function DerivedCard({
  summary,
  recent,
  tz,
  patternHref,
}: {
  summary: DerivedSummary;
  recent: DerivedOccurrence[];
  tz: string;
  patternHref: (id: number) => string;
}) {
  return (
    <Card title="Derived" testId="capture-derived" className="min-w-0">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
        {[
          ['Occurrences', formatCount(summary.occurrences), 'derived-occurrences'],
          ['Patterns', formatCount(summary.patterns), 'derived-patterns'],
          ['Workflows and sessions', formatCount(summary.workflows), 'derived-workflows'],
          ['USD saved', formatUsd(summary.usdSaved), 'derived-usd'],
          [
            'Offload savings',
            `${formatCount(summary.savings)} (${formatCount(summary.measuredSavings)} measured)`,
            'derived-savings',
          ],
        ].map(([label, value, testId]) => (
          <div key={label}>
            <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="font-semibold tabular-nums" data-testid={testId}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {recent.length > 0 ? (
        <ul className="mt-3 space-y-1 text-xs" data-testid="derived-recent">
          {recent.map((row) => (
            <li key={row.id} className="flex flex-wrap gap-x-2">
              {row.patternId === null ? (
                <span className="font-mono">{row.signature}</span>
              ) : (
                <TextLink href={patternHref(row.patternId)} className="font-mono">
                  {row.signature}
                </TextLink>
              )}
              <span className="text-slate-600 dark:text-slate-400">
                {row.workflowKey.slice(0, 24)} · {row.ruleName} ·{' '}
                {formatDateTime(row.occurredAt, tz)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
