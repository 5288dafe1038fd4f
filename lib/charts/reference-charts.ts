/** The reference system's confidence adjustments of a pattern as a line, one point per change. */
import { formatDateTime } from '../format';
import { line, type ChartData } from './prepare';

export type ConfidenceChange = { at: number; ratio: number | null };

export function confidenceChart(changes: readonly ConfidenceChange[], tz: string): ChartData {
  const points = changes.map((change) => ({
    bucket: change.at,
    label: formatDateTime(change.at, tz).slice(0, 10),
    tooltipLabel: formatDateTime(change.at, tz),
    confidence: change.ratio,
  }));
  return {
    points,
    series: [line('confidence', 'Confidence', 'ratio', 'var(--chart-1)')],
    empty:
      points.length === 0
        ? 'No confidence adjustment of this pattern in pattern_confidence_history.'
        : null,
  };
}
