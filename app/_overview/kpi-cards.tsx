import { Delta } from '@/components/delta';
import { Stat } from '@/components/stat';
import { getDb } from '@/server/database';
import { getKpis } from '@/db/queries/overview';
import { formatCount, formatPercent, formatTokens, formatUsd } from '@/lib/format';
import { PRESET_LABELS, rangeDays, type ResolvedRange } from '@/lib/time-range';

export async function KpiCards({ range }: { range: ResolvedRange }) {
  const kpis = await getKpis(await getDb(), range);
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
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="kpis">
      <Stat label="USD saved" value={formatUsd(current.usd)} hint={delta('usd')} testId="kpi-usd" />
      <Stat
        label="Tokens saved"
        value={formatTokens(current.tokens)}
        hint={delta('tokens')}
        testId="kpi-tokens"
      />
      <Stat
        label="Occurrences"
        value={formatCount(current.occurrences)}
        hint={delta('occurrences')}
        testId="kpi-occurrences"
      />
      <Stat
        label="Active patterns"
        value={formatCount(current.activePatterns)}
        hint={delta('activePatterns')}
        testId="kpi-active-patterns"
      />
      <Stat
        label="Average similarity"
        value={formatPercent(current.avgSimilarity)}
        hint={delta('avgSimilarity', 'points')}
        testId="kpi-similarity"
      />
      <Stat
        label="Actual savings / month"
        value={<span data-testid="kpi-actual-monthly">{formatUsd(current.actualMonthly)}</span>}
        hint={
          <>
            <span className="block">
              Estimate{' '}
              <span data-testid="kpi-estimated-monthly">{formatUsd(kpis.estimatedMonthly)}</span>
              {ratio === null ? ' (none stored)' : ` (${formatPercent(ratio, 0)} reached)`}
            </span>
            {delta('actualMonthly')}
          </>
        }
        testId="kpi-monthly"
      />
    </dl>
  );
}
