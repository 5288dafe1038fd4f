/**
 * The one way a page finishes a time chart: each bucket linked to the rows behind it, the events
 * that happened in it marked, and with "compare" the previous period drawn dashed over it.
 */
import type { ResolvedRange } from '../time-range';
import { withPrevious } from './compare';
import { withDrill } from './drill';
import { withEvents, type ChartEvent } from './events';
import type { ChartData } from './prepare';

export type Decoration = {
  range: ResolvedRange;
  /** The link of a bucket (its time parameters), or of one stacked series in it. */
  drill: (time: Record<string, string>, series?: string) => string | null;
  /** The stacked series that link to their own rows. */
  segments?: readonly string[];
  events?: readonly ChartEvent[];
  /** The same chart over the previous period, when the page compares. */
  previous?: ChartData | null;
};

export function decorate(chart: ChartData, decoration: Decoration): ChartData {
  const { range, drill, segments = [], events = [], previous = null } = decoration;
  const linked = withDrill(chart, range, drill, segments);
  return withPrevious(withEvents(linked, events, range.to.getTime()), previous);
}
