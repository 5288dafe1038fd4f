'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, type RefObject } from 'react';
import {
  Bar,
  Cell,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  useActiveTooltipDataPoints,
} from 'recharts';
import { segmentHrefKey } from '@/lib/charts/drill';
import {
  axisMax,
  niceTicks,
  type ChartData,
  type ChartPoint,
  type SeriesSpec,
} from '@/lib/charts/prepare';
import { formatTooltipValue, formatTick, UNIT_NAMES } from './format-value';

type TooltipEntry = { dataKey?: unknown; value?: unknown };

function ChartTooltip({
  active,
  payload,
  series,
}: {
  active?: boolean;
  payload?: readonly TooltipEntry[];
  series: SeriesSpec[];
}) {
  if (!active || !payload?.length) return null;
  const point = (payload[0] as { payload?: ChartPoint }).payload;
  if (!point) return null;
  const stacked = series.filter((s) => s.stack);
  const total = stacked.reduce(
    (sum, s) => sum + (typeof point[s.key] === 'number' ? (point[s.key] as number) : 0),
    0,
  );
  return (
    <div
      data-testid="chart-tooltip"
      className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900"
    >
      <p className="mb-1 font-medium">{point.tooltipLabel}</p>
      {typeof point.previousLabel === 'string' ? (
        <p className="mb-1 text-slate-500 dark:text-slate-400">
          against {point.previousLabel} (dashed)
        </p>
      ) : null}
      <ul className="space-y-0.5">
        {series.map((s) => (
          <li key={s.key} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5">
              <span
                aria-hidden
                className={
                  s.dashed
                    ? 'inline-block h-0 w-2 border-t-2 border-dashed'
                    : 'inline-block h-2 w-2 rounded-sm'
                }
                style={s.dashed ? { borderColor: s.color } : { background: s.color }}
              />
              {s.label}
            </span>
            <span className="font-mono tabular-nums">
              {formatTooltipValue(
                typeof point[s.key] === 'number' ? (point[s.key] as number) : null,
                s.unit,
              )}
            </span>
          </li>
        ))}
        {stacked.length > 1 ? (
          <li className="flex justify-between gap-4 border-t border-slate-200 pt-0.5 font-medium dark:border-slate-700">
            <span>Total</span>
            <span className="font-mono tabular-nums">
              {formatTooltipValue(total, stacked[0]!.unit)}
            </span>
          </li>
        ) : null}
      </ul>
      {typeof point.eventText === 'string' ? (
        <p
          data-testid="chart-events"
          className="mt-1 max-w-72 border-t border-slate-200 pt-1 whitespace-pre-line text-amber-800 dark:border-slate-700 dark:text-amber-300"
        >
          {point.eventText}
        </p>
      ) : null}
      {typeof point.href === 'string' ? (
        <p className="mt-1 text-slate-500 dark:text-slate-400">Click or press Enter for its rows</p>
      ) : null}
    </div>
  );
}

/** Keeps the link of the bucket the tooltip shows (moved by mouse or arrow keys) in `target`. */
function ActiveBucket({ targetRef }: { targetRef: RefObject<string | null> }) {
  const active = useActiveTooltipDataPoints<ChartPoint>();
  const href = active?.[0]?.href;
  useEffect(() => {
    targetRef.current = typeof href === 'string' ? href : null;
  }, [href, targetRef]);
  return null;
}

/** The Recharts drawing of a BarLineChart (loaded after the page; see bar-line-chart.tsx). */
export function BarLineChartDrawing({ data, height }: { data: ChartData; height: number }) {
  const left = data.series.filter((s) => s.axis !== 'right');
  const right = data.series.filter((s) => s.axis === 'right');
  const leftUnit = left[0]?.unit ?? 'count';
  const rightUnit = right[0]?.unit;
  // Round steps (0 / 500 / 1K …), the top tick just above the highest value.
  const leftTicks = niceTicks(axisMax(data.points, left), 5, leftUnit === 'count');
  const rightTicks =
    rightUnit === 'ratio' ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(axisMax(data.points, right));
  const router = useRouter();
  const activeHref = useRef<string | null>(null);
  const segmentHref = useRef<string | null>(null);
  const linked = data.points.some((point) => typeof point.href === 'string');
  const marked = data.points.some((point) => typeof point.events === 'number');
  // A click on a stacked segment opens that segment's rows; anywhere else in the column, the
  // bucket's. The segment's handler runs first, the chart's after it.
  const follow = () => {
    const href = segmentHref.current ?? activeHref.current;
    segmentHref.current = null;
    if (href) router.push(href);
  };
  return (
    <ResponsiveContainer
      width="100%"
      height={height}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && linked) follow();
      }}
    >
      <ComposedChart
        data={data.points}
        margin={{ top: marked ? 16 : 8, right: 8, bottom: 0, left: 0 }}
        onClick={linked ? follow : undefined}
        style={linked ? { cursor: 'pointer' } : undefined}
      >
        {linked ? <ActiveBucket targetRef={activeHref} /> : null}
        <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
        <XAxis
          dataKey="label"
          tick={{ fontSize: 11, fill: 'var(--chart-axis)' }}
          tickLine={false}
          axisLine={{ stroke: 'var(--chart-grid)' }}
          minTickGap={16}
        />
        <YAxis
          yAxisId="left"
          domain={[0, leftTicks.at(-1)!]}
          ticks={leftTicks}
          allowDecimals={leftUnit !== 'count'}
          tickFormatter={(v: number) => formatTick(v, leftUnit)}
          tick={{ fontSize: 11, fill: 'var(--chart-axis)' }}
          tickLine={false}
          axisLine={false}
          width={60}
          label={{
            value: left[0]?.axisLabel ?? UNIT_NAMES[leftUnit],
            angle: -90,
            position: 'insideLeft',
            fontSize: 11,
            fill: 'var(--chart-axis)',
          }}
        />
        {rightUnit ? (
          <YAxis
            yAxisId="right"
            orientation="right"
            domain={[0, rightTicks.at(-1)!]}
            ticks={rightTicks}
            tickFormatter={(v: number) => formatTick(v, rightUnit)}
            tick={{ fontSize: 11, fill: 'var(--chart-axis)' }}
            tickLine={false}
            axisLine={false}
            width={52}
            label={{
              value: right[0]?.axisLabel ?? UNIT_NAMES[rightUnit],
              angle: 90,
              position: 'insideRight',
              fontSize: 11,
              fill: 'var(--chart-axis)',
            }}
          />
        ) : null}
        <Tooltip
          content={<ChartTooltip series={data.series} />}
          cursor={{ fill: 'var(--chart-cursor)' }}
        />
        {/* Notes and review decisions: a mark on the bucket they fall in, told in its tooltip. */}
        {data.points
          .filter((point) => typeof point.events === 'number')
          .map((point) => (
            <ReferenceLine
              key={`event-${point.bucket}`}
              x={point.label}
              yAxisId="left"
              stroke="var(--chart-event)"
              strokeDasharray="3 3"
              className="chart-event"
              label={{
                value: '◆',
                position: 'top',
                fill: 'var(--chart-event)',
                fontSize: 10,
              }}
            />
          ))}
        {data.series.length > 1 ? (
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
        ) : null}
        {data.series.map((s) =>
          s.kind === 'bar' ? (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              yAxisId={s.axis ?? 'left'}
              stackId={s.stack}
              fill={s.color}
              isAnimationActive={false}
              maxBarSize={48}
              onClick={(entry: { payload?: ChartPoint }) => {
                const href = entry.payload?.[segmentHrefKey(s.key)];
                segmentHref.current = typeof href === 'string' ? href : null;
              }}
            >
              {/* A bucket the range covers only in part is faded, not read as a fall. */}
              {data.points.map((point) => (
                <Cell key={point.bucket} fillOpacity={point.partial ? 0.4 : 1} />
              ))}
            </Bar>
          ) : (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              yAxisId={s.axis ?? 'left'}
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '5 4' : undefined}
              legendType={s.dashed ? 'plainline' : 'line'}
              type="linear"
              dot={s.dashed ? false : { r: 2, fill: s.color }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ),
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
