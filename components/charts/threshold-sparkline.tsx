import type { BacktestPoint } from '@/lib/alerts/backtest';
import { thresholdSparkline } from '@/lib/charts/thresholds';

const WIDTH = 120;
const HEIGHT = 32;

/**
 * A rule's metric over the last hours as a line, with its thresholds drawn as dashed lines
 * (amber: warning, rose: critical) on the same scale, so a glance shows how close it runs.
 * Gaps (no data) stay gaps. Drawn on the server.
 */
export function ThresholdSparkline({
  points,
  warning,
  critical,
  label,
}: {
  points: BacktestPoint[];
  warning: number | null;
  critical: number | null;
  label: string;
}) {
  const paths = thresholdSparkline(points, { warning, critical }, WIDTH, HEIGHT);
  if (!paths)
    return (
      <span
        className="text-xs text-slate-500 dark:text-slate-400"
        data-testid="threshold-sparkline"
      >
        no data
      </span>
    );
  return (
    <svg
      role="img"
      aria-label={label}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      data-testid="threshold-sparkline"
    >
      {paths.warning ? (
        <path d={paths.warning} className="stroke-amber-500" strokeDasharray="3 2" />
      ) : null}
      {paths.critical ? (
        <path d={paths.critical} className="stroke-rose-500" strokeDasharray="3 2" />
      ) : null}
      <path
        d={paths.line}
        fill="none"
        className="stroke-sky-600 dark:stroke-sky-400"
        strokeWidth={1.5}
      />
    </svg>
  );
}
