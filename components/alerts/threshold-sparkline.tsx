import type { BacktestPoint } from '@/lib/alerts';

const WIDTH = 120;
const HEIGHT = 32;

/**
 * A rule's metric over the last hours as a line, with its thresholds drawn as dashed lines
 * (amber: warning, rose: critical) on the same scale, so a glance shows how close it runs.
 * Gaps (no data) stay gaps.
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
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const limits = [warning, critical].filter((v): v is number => v !== null);
  const all = [...values, ...limits];
  if (values.length === 0)
    return (
      <span
        className="text-xs text-slate-500 dark:text-slate-400"
        data-testid="threshold-sparkline"
      >
        no data
      </span>
    );
  const top = Math.max(...all, 0);
  const bottom = Math.min(...all, 0);
  const span = top - bottom || 1;
  const y = (v: number) =>
    Math.round((HEIGHT - 2 - ((v - bottom) / span) * (HEIGHT - 4)) * 10) / 10;
  const x = (i: number) => Math.round((i / Math.max(points.length - 1, 1)) * WIDTH * 10) / 10;
  let path = '';
  let drawing = false;
  points.forEach((point, i) => {
    if (point.value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(i)} ${y(point.value)}`;
    drawing = true;
  });
  return (
    <svg
      role="img"
      aria-label={label}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      data-testid="threshold-sparkline"
    >
      {warning !== null ? (
        <path d={`M0 ${y(warning)}H${WIDTH}`} className="stroke-amber-500" strokeDasharray="3 2" />
      ) : null}
      {critical !== null ? (
        <path d={`M0 ${y(critical)}H${WIDTH}`} className="stroke-rose-500" strokeDasharray="3 2" />
      ) : null}
      <path d={path} fill="none" className="stroke-sky-600 dark:stroke-sky-400" strokeWidth={1.5} />
    </svg>
  );
}
