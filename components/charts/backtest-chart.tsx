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
import type { BacktestPoint } from '@/lib/alerts/backtest';
import type { Unit } from '@/lib/charts/prepare';
import { firingRuns, thresholdTicks } from '@/lib/charts/thresholds';
import { formatDateTime } from '@/lib/format';
import { formatTick, formatTooltipValue } from './format-value';

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
  format,
  tz,
}: {
  points: BacktestPoint[];
  warning: number | null;
  critical: number | null;
  /** The axis label: what the values are. */
  unit: string;
  /** How the chart layer formats them. */
  format: Unit;
  tz: string;
}) {
  const ticks = thresholdTicks(points, [warning, critical]);
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
            tickFormatter={(value: number) => formatTick(value, format)}
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
            { y: warning, color: '#f59e0b', label: 'warning', other: critical },
            { y: critical, color: '#f43f5e', label: 'critical', other: warning },
          ].map((line) =>
            line.y === null ? null : (
              <ReferenceLine
                key={line.label}
                y={line.y}
                stroke={line.color}
                strokeDasharray="4 3"
                // Each label on the outside of the pair: the higher line's above it, the lower's below.
                label={{
                  value: line.label,
                  fontSize: 10,
                  position:
                    line.other === null || line.y >= line.other
                      ? 'insideBottomLeft'
                      : 'insideTopLeft',
                }}
              />
            ),
          )}
          <Tooltip
            labelFormatter={(t) => formatDateTime(Number(t), tz)}
            formatter={(value) => [
              formatTooltipValue(value === null ? null : Number(value), format),
              unit,
            ]}
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
