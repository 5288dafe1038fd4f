/** What a rule being edited would have done over the past: its values and states, its firings. */
import type { AlertState } from './metrics';
import { percentChange, stateFor, type RuleCondition } from './rules';

export type BacktestPoint = { at: number; value: number | null; state: AlertState };

/** What a rule would have read and been at each step of a series (db/alerts/metrics.ts). */
export function backtestPoints(
  series: { at: number; current: number | null; previous: number | null }[],
  rule: RuleCondition & { compare: 'value' | 'change' },
): BacktestPoint[] {
  return series.map((point) => {
    const value =
      rule.compare === 'change' ? percentChange(point.current, point.previous) : point.current;
    return { at: point.at, value, state: stateFor(value, rule).state };
  });
}

/** How often the state went from ok to firing in a backtest. */
export function firings(points: BacktestPoint[]): number {
  let count = 0;
  let previous: AlertState = 'ok';
  for (const point of points) {
    if (previous === 'ok' && point.state !== 'ok') count++;
    previous = point.state;
  }
  return count;
}
