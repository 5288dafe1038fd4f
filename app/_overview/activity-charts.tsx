import { BarLineChart } from '@/components/charts/bar-line-chart';
import { ChartCard } from '@/components/charts/chart-card';
import { getDb } from '@/server/database';
import { getOccurrenceBuckets } from '@/db/queries/patterns';
import { getSavingsBuckets } from '@/db/queries/savings';
import { withDrill } from '@/lib/charts/drill';
import { hrefWith } from '@/lib/href';
import { occurrenceChart } from '@/lib/charts/pattern-charts';
import { savingsTotalChart } from '@/lib/charts/savings-charts';
import type { ResolvedRange } from '@/lib/time-range';

export async function ActivityCharts({ range }: { range: ResolvedRange }) {
  const db = await getDb();
  const [occurrences, savings] = await Promise.all([
    getOccurrenceBuckets(db, range),
    getSavingsBuckets(db, range),
  ]);
  // A bucket links to the leaderboard over its edges (its occurrences by pattern) and to the
  // savings log over them.
  const occurrenceData = withDrill(occurrenceChart(occurrences, range), range, (time) =>
    hrefWith('/patterns', {}, time),
  );
  const savingsData = withDrill(
    savingsTotalChart(savings, range),
    range,
    (time) => `${hrefWith('/savings', {}, time)}#log`,
  );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard
        title="Occurrences over time"
        description={`Pattern occurrences per ${range.granularity}, with their average similarity.`}
        empty={
          occurrenceData.empty &&
          'No pattern occurred in this range. Occurrences recorded in pattern_occurrences fill this chart.'
        }
      >
        <BarLineChart data={occurrenceData} label={`Occurrences per ${range.granularity}`} />
      </ChartCard>
      <ChartCard
        title="Savings over time"
        description={`USD saved per ${range.granularity}, all optimization types.`}
        empty={savingsData.empty}
      >
        <BarLineChart data={savingsData} label={`USD saved per ${range.granularity}`} />
      </ChartCard>
    </div>
  );
}
