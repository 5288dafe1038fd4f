import { resolveTimeRange, type TimeParams } from '@/lib/time-range';
import { TEST_ANCHOR } from './databases';

/** A resolved range as a page would get it from its URL, at TEST_ANCHOR. */
export function rangeOf(
  params: Partial<TimeParams>,
  extent?: { min: Date | null; max: Date | null },
) {
  return resolveTimeRange(
    { range: '30d', tz: 'UTC', granularity: 'auto', ...params },
    TEST_ANCHOR,
    extent,
  );
}
