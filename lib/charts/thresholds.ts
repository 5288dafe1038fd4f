/**
 * Preparing a metric read against thresholds (an alert rule's backtest and its sparkline): the
 * stretches it fires, a value axis that holds zero and both thresholds, and the sparkline's
 * paths. Pure, so the charts only draw.
 */
import type { BacktestPoint } from '../alerts/backtest';
import { niceTicks } from './prepare';

export type FiringRun = { from: number; to: number; state: 'warning' | 'critical' };

/** Runs of consecutive firing points, as [first, last] times, with the worst state of each. */
export function firingRuns(points: readonly BacktestPoint[]): FiringRun[] {
  const runs: FiringRun[] = [];
  points.forEach((point, i) => {
    if (point.state === 'ok') return;
    const last = runs.at(-1);
    const previous = points[i - 1];
    if (last && previous && previous.state !== 'ok' && last.to === previous.at) {
      last.to = point.at;
      if (point.state === 'critical') last.state = 'critical';
    } else runs.push({ from: point.at, to: point.at, state: point.state });
  });
  return runs;
}

/**
 * Round ticks covering zero, every value and every threshold, with one step on both sides of
 * zero: a line far under its threshold looks far under it, and thresholds below zero are as
 * legible as values above.
 */
export function thresholdTicks(
  points: readonly BacktestPoint[],
  thresholds: readonly (number | null)[],
): number[] {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const limits = thresholds.filter((v): v is number => v !== null);
  const high = Math.max(0, ...values, ...limits);
  const low = Math.min(0, ...values, ...limits);
  const step = niceTicks(Math.max(high - low, 1e-9))[1] ?? 1;
  const ticks: number[] = [];
  for (
    let t = Math.floor(low / step) * step;
    t <= Math.ceil(high / step) * step + step / 2;
    t += step
  )
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const tenth = (n: number) => Math.round(n * 10) / 10;

/**
 * A sparkline of the values (gaps stay gaps) and a horizontal path per threshold, on one scale
 * that holds zero, in a `width` × `height` box; null when there is no value to draw.
 */
export function thresholdSparkline(
  points: readonly BacktestPoint[],
  thresholds: { warning: number | null; critical: number | null },
  width: number,
  height: number,
): { line: string; warning: string | null; critical: string | null } | null {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  const all = [...values, ...[thresholds.warning, thresholds.critical].filter((v) => v !== null)];
  const top = Math.max(...all, 0);
  const bottom = Math.min(...all, 0);
  const span = top - bottom || 1;
  const y = (v: number) => tenth(height - 2 - ((v - bottom) / span) * (height - 4));
  const x = (i: number) => tenth((i / Math.max(points.length - 1, 1)) * width);
  let line = '';
  let drawing = false;
  points.forEach((point, i) => {
    if (point.value === null) {
      drawing = false;
      return;
    }
    line += `${drawing ? 'L' : 'M'}${x(i)} ${y(point.value)}`;
    drawing = true;
  });
  const across = (v: number | null) => (v === null ? null : `M0 ${y(v)}H${width}`);
  return { line, warning: across(thresholds.warning), critical: across(thresholds.critical) };
}
