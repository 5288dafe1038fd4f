'use client';

import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BacktestPoint } from '@/lib/alerts';
import { niceTicks } from '@/lib/charts/prepare';
import { formatDateTime } from '@/lib/format';

const number = (v: number) =>
  Math.abs(v) >= 1000
    ? v.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 })
    : v.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** Runs of consecutive firing points, as [start, end] times, with the worst state of each. */
function firingRuns(points: BacktestPoint[]): { from: number; to: number; state: string }[] {
  const runs: { from: number; to: number; state: string }[] = [];
  for (const point of points) {
    const last = runs.at(-1);
    if (point.state === 'ok') continue;
    const previous = points[points.indexOf(point) - 1];
    if (last && previous && previous.state !== 'ok' && last.to === previous.at) {
      last.to = point.at;
      if (point.state === 'critical') last.state = 'critical';
    } else runs.push({ from: point.at, to: point.at, state: point.state });
  }
  return runs;
}

/**
 * The metric a rule reads, step by step, with its thresholds and the stretches it would have
 * fired shaded (amber warning, rose critical). The value axis always holds zero and both
 * thresholds, so a line far under its threshold looks far under it.
 */
export function BacktestChart({
  points,
  warning,
  critical,
  unit,
  tz,
}: {
  points: BacktestPoint[];
  warning: number | null;
  critical: number | null;
  unit: string;
  tz: string;
}) {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const limits = [warning, critical].filter((v): v is number => v !== null);
  const high = Math.max(0, ...values, ...limits);
  const low = Math.min(0, ...values, ...limits);
  // One step on both sides of zero, so the thresholds below zero are as legible as the values above.
  const step = niceTicks(Math.max(high - low, 1e-9))[1] ?? 1;
  const ticks: number[] = [];
  for (
    let t = Math.floor(low / step) * step;
    t <= Math.ceil(high / step) * step + step / 2;
    t += step
  )
    ticks.push(Number(t.toPrecision(12)));
  return (
    <div className="h-56 w-full" data-testid="backtest-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(t: number) => formatDateTime(t, tz).slice(5, 10)}
            tick={{ fontSize: 11 }}
            minTickGap={24}
          />
          <YAxis
            domain={[ticks[0]!, ticks.at(-1)!]}
            ticks={ticks}
            tickFormatter={number}
            tick={{ fontSize: 11 }}
            width={56}
            label={{ value: unit, angle: -90, position: 'insideLeft', fontSize: 11, dy: 30 }}
          />
          {firingRuns(points).map((run) => (
            <ReferenceArea
              key={run.from}
              x1={run.from}
              x2={run.to}
              fill={run.state === 'critical' ? '#f43f5e' : '#f59e0b'}
              fillOpacity={0.15}
              ifOverflow="visible"
            />
          ))}
          {[
            { y: warning, color: '#f59e0b', label: 'warning', position: 'insideTopLeft' as const },
            {
              y: critical,
              color: '#f43f5e',
              label: 'critical',
              position: 'insideBottomLeft' as const,
            },
          ].map((line) =>
            line.y === null ? null : (
              <ReferenceLine
                key={line.label}
                y={line.y}
                stroke={line.color}
                strokeDasharray="4 3"
                label={{ value: line.label, fontSize: 10, position: line.position }}
              />
            ),
          )}
          <Tooltip
            labelFormatter={(t) => formatDateTime(Number(t), tz)}
            formatter={(value) => [value === null ? 'no data' : number(Number(value)), unit]}
            contentStyle={{ fontSize: 12 }}
          />
          <Line
            dataKey="value"
            type="linear"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
            stroke="#0284c7"
            strokeWidth={1.5}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
