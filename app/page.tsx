import Link from 'next/link';
import { getDatabase } from '@/db/client';
import { getTableCounts } from '@/db/queries/overview';
import { PageHeader } from '@/components/page-header';
import { formatCount } from '@/lib/format';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const database = await getDatabase();
  const counts = await getTableCounts(database.db);
  const cards = [
    {
      label: 'Patterns',
      table: 'operation_patterns',
      value: counts.operationPatterns,
      href: '/patterns',
    },
    {
      label: 'Occurrences',
      table: 'pattern_occurrences',
      value: counts.patternOccurrences,
      href: '/patterns',
    },
    {
      label: 'Savings entries',
      table: 'cost_savings_log',
      value: counts.costSavingsLog,
      href: '/savings',
    },
    {
      label: 'Workflow runs',
      table: 'workflow_history',
      value: counts.workflowHistory,
      href: '/workflows',
    },
    { label: 'Tool calls', table: 'tool_calls', value: counts.toolCalls, href: '/workflows' },
  ];
  return (
    <>
      <PageHeader
        title="Overview"
        description={<>Rows in the tracking tables of {database.location}.</>}
      />
      <ul className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-5" aria-label="Row counts">
        {cards.map((card) => (
          <li key={card.table}>
            <Link
              href={card.href}
              className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition-colors hover:border-sky-400 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-sky-600"
            >
              <span className="block text-sm text-slate-600 dark:text-slate-400">{card.label}</span>
              <span
                className="mt-1 block text-2xl font-semibold tabular-nums"
                data-testid={`count-${card.table}`}
              >
                {formatCount(card.value)}
              </span>
              <span className="mt-1 block font-mono text-xs text-slate-500 dark:text-slate-500">
                {card.table}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
