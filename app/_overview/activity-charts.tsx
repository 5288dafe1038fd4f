import { BarLineChart } from '@/components/charts/bar-line-chart';
import { ChartCard } from '@/components/charts/chart-card';
import { getReadDb } from '@/server/database';
import { getOccurrenceBuckets } from '@/db/queries/patterns';
import { getSavingsBuckets } from '@/db/queries/savings';
import { decorate } from '@/lib/charts/decorate';
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
  const occurrenceData = decorate(occurrenceChart(occurrences, range), {
    range,
    drill: (time) => hrefWith('/patterns', {}, time),
    previous: previous && occurrencesBefore ? occurrenceChart(occurrencesBefore, previous) : null,
  });
  const savingsData = decorate(savingsTotalChart(savings, range), {
    range,
    drill: (time) => `${hrefWith('/savings', {}, time)}#log`,
    previous: previous && savingsBefore ? savingsTotalChart(savingsBefore, previous) : null,
  });
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
