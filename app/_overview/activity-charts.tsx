import { BarLineChart } from '@/components/charts/bar-line-chart';
import { ChartCard } from '@/components/charts/chart-card';
import { getReadDb } from '@/server/database';
import { getOccurrenceBuckets } from '@/db/queries/patterns';
import { getSavingsBuckets } from '@/db/queries/savings';
import { withPrevious } from '@/lib/charts/compare';
import { withDrill } from '@/lib/charts/drill';
import { hrefWith } from '@/lib/href';
import { occurrenceChart } from '@/lib/charts/pattern-charts';
import { savingsTotalChart } from '@/lib/charts/savings-charts';
import { previousPeriod, type ResolvedRange } from '@/lib/time-range';

export async function ActivityCharts({ range }: { range: ResolvedRange }) {
  const db = await getReadDb();
  const previous = previousPeriod(range);
  const [occurrences, savings, occurrencesBefore, savingsBefore] = await Promise.all([
    getOccurrenceBuckets(db, range),
    getSavingsBuckets(db, range),
    previous ? getOccurrenceBuckets(db, previous) : null,
    previous ? getSavingsBuckets(db, previous) : null,
  ]);
  // A bucket links to the leaderboard over its edges (its occurrences by pattern) and to the
  // savings log over them.
  // With "compare", the previous period is drawn dashed over each.
  const occurrenceData = withPrevious(
    withDrill(occurrenceChart(occurrences, range), range, (time) =>
      hrefWith('/patterns', {}, time),
    ),
    previous && occurrencesBefore ? occurrenceChart(occurrencesBefore, previous) : null,
  );
  const savingsData = withPrevious(
    withDrill(
      savingsTotalChart(savings, range),
      range,
      (time) => `${hrefWith('/savings', {}, time)}#log`,
    ),
    previous && savingsBefore ? savingsTotalChart(savingsBefore, previous) : null,
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
