import { formatDateTime, formatZone } from '@/lib/format';
import { PRESET_LABELS, type ResolvedRange } from '@/lib/time-range';

/** States the range, its bounds and the zone the page shows times in. */
export function RangeNote({ range }: { range: ResolvedRange }) {
  return (
    <span data-testid="range-note">
      {PRESET_LABELS[range.params.range]}: {formatDateTime(range.from.getTime(), range.tz)} –{' '}
      {formatDateTime(range.to.getTime(), range.tz)}, by {range.granularity}. Times in{' '}
      <strong className="font-medium">{formatZone(range.tz)}</strong>.
      {range.coarsenedFrom
        ? ` ${range.coarsenedFrom} is too fine for this range; showing ${range.granularity}.`
        : ''}
    </span>
  );
}
