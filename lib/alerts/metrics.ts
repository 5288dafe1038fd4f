/** What an alert rule can measure, over which windows and scopes, and the states it can be in. */
import type { Unit } from '../charts/prepare';

export const ALERT_METRICS = [
  'usd_saved',
  'tokens_saved',
  'occurrences',
  'avg_similarity',
  'roi',
  'quality',
  'not_seen',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const METRIC_LABELS: Record<AlertMetric, string> = {
  usd_saved: 'USD saved',
  tokens_saved: 'Tokens saved',
  occurrences: 'Occurrences',
  avg_similarity: 'Average similarity',
  roi: 'ROI (actual ÷ estimate)',
  quality: 'Data-quality check count',
  not_seen: 'Hours since last seen',
};

/** Metrics that are sums over the window (and so have a previous window and a backtest). */
export const WINDOWED_METRICS: readonly AlertMetric[] = [
  'usd_saved',
  'tokens_saved',
  'occurrences',
  'avg_similarity',
  'roi',
];

export const SCOPE_KINDS = ['all', 'pattern_type', 'pattern', 'optimization_type'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export const SCOPE_LABELS: Record<ScopeKind, string> = {
  all: 'Everything',
  pattern_type: 'A pattern type',
  pattern: 'A pattern',
  optimization_type: 'An optimization type',
};

/** Rolling windows, in minutes. */
export const WINDOW_CHOICES = [15, 60, 360, 1440, 10080] as const;
export const WINDOW_LABELS: Record<number, string> = {
  15: '15 minutes',
  60: '1 hour',
  360: '6 hours',
  1440: '24 hours',
  10080: '7 days',
};
export const EVERY_CHOICES = [1, 5, 15, 60] as const;

/** Rules firing now, by level: the header's badge. */
export type FiringCounts = { critical: number; warning: number };

export const ALERT_STATES = ['ok', 'warning', 'critical'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const MAX_RULES = 1000;
/** How far back a rule being edited is backtested. */
export const BACKTEST_DAYS = 30;
export const MAX_CHANNELS = 50;
export const MAX_CHANNELS_PER_RULE = 10;

/** The unit a rule's value is in (its thresholds' unit). */
/** How the chart layer formats a rule's values (its axis and tooltips). */
export function chartUnit(rule: { metric: AlertMetric; compare: 'value' | 'change' }): Unit {
  if (rule.compare === 'change') return 'decimal';
  if (rule.metric === 'usd_saved') return 'usd';
  if (rule.metric === 'tokens_saved') return 'tokens';
  if (rule.metric === 'occurrences' || rule.metric === 'quality') return 'count';
  return 'decimal';
}

export function valueUnit(rule: { metric: AlertMetric; compare: 'value' | 'change' }): string {
  if (rule.compare === 'change') return '% change';
  const units: Record<AlertMetric, string> = {
    usd_saved: 'USD',
    tokens_saved: 'tokens',
    occurrences: 'occurrences',
    avg_similarity: 'ratio 0–1',
    roi: 'actual ÷ estimate',
    quality: 'rows',
    not_seen: 'hours',
  };
  return units[rule.metric];
}
