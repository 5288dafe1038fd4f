import { Delta } from '@/components/delta';
import { StatList } from '@/components/stat';
import { getReadDb } from '@/server/database';
import { getKpis } from '@/db/queries/overview';
import { formatCount, formatPercent, formatTokens, formatUsd } from '@/lib/format';
import { PRESET_LABELS, rangeDays, type ResolvedRange } from '@/lib/time-range';

export async function KpiCards({ range }: { range: ResolvedRange }) {
  const kpis = await getKpis(await getReadDb(), range);
  const { current, previous } = kpis;
  const periodLabel =
    range.params.range === 'custom'
      ? `previous ${Math.round(rangeDays(range))} days`
      : `previous ${PRESET_LABELS[range.params.range].replace('Last ', '').toLowerCase()}`;
  const delta = (key: keyof typeof current, kind: 'relative' | 'points' = 'relative') => (
    <Delta
      current={current[key]}
      previous={previous?.[key]}
      kind={kind}
      periodLabel={range.params.range === 'all' ? 'period before all time' : periodLabel}
    />
  );
  const ratio = kpis.estimatedMonthly > 0 ? current.actualMonthly / kpis.estimatedMonthly : null;
  return (
    <StatList
      testId="kpis"
      className="grid-cols-2 md:grid-cols-3 xl:grid-cols-6"
      stats={[
        ...(
          [
            ['USD saved', formatUsd(current.usd), 'usd', 'kpi-usd'],
            ['Tokens saved', formatTokens(current.tokens), 'tokens', 'kpi-tokens'],
            ['Occurrences', formatCount(current.occurrences), 'occurrences', 'kpi-occurrences'],
            [
              'Active patterns',
              formatCount(current.activePatterns),
              'activePatterns',
              'kpi-active-patterns',
            ],
          ] as const
        ).map(([label, value, key, testId]) => ({ label, value, hint: delta(key), testId })),
        {
          label: 'Average similarity',
          value: formatPercent(current.avgSimilarity),
          hint: delta('avgSimilarity', 'points'),
          testId: 'kpi-similarity',
        },
        {
          label: 'Actual savings / month',
          value: <span data-testid="kpi-actual-monthly">{formatUsd(current.actualMonthly)}</span>,
          hint: (
            <>
              <span className="block">
                Estimate{' '}
                <span data-testid="kpi-estimated-monthly">{formatUsd(kpis.estimatedMonthly)}</span>
                {ratio === null ? ' (none stored)' : ` (${formatPercent(ratio, 0)} reached)`}
              </span>
              {delta('actualMonthly')}
            </>
          ),
          testId: 'kpi-monthly',
        },
      ]}
    />
  );
}
