'use client';

import dynamic from 'next/dynamic';
import type { ChartData } from '@/lib/charts/prepare';

/*
 * Recharts is most of a chart page's JavaScript; loading it after the page keeps the first load
 * small. The server could not draw these charts anyway: they size themselves to their container.
 */
const Drawing = dynamic(
  () => import('./bar-line-chart-drawing').then((loaded) => loaded.BarLineChartDrawing),
  {
    ssr: false,
    loading: () => <div className="h-full animate-pulse rounded bg-slate-100 dark:bg-slate-800" />,
  },
);

/**
 * Draws prepared points along a time or category axis: bars (stacked when a series names a
 * stack) and lines on a left and an optional right axis. Lines never bridge a missing value; y
 * axes start at zero. The frame has its final height from the start, so nothing moves when the
 * drawing arrives.
 */
export function BarLineChart({
  data,
  height = 260,
  label,
}: {
  data: ChartData;
  height?: number;
  label: string;
}) {
  return (
    <figure
      className="chart"
      data-testid="chart"
      data-points={data.points.length}
      data-events={data.points.filter((point) => typeof point.events === 'number').length}
      aria-label={label}
      role="img"
      style={{ minHeight: height }}
    >
      <div style={{ height }}>
        <Drawing data={data} height={height} />
      </div>
    </figure>
  );
}
