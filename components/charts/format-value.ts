import type { Unit } from '@/lib/charts/prepare';
import {
  formatCompact,
  formatCount,
  formatDecimal,
  formatPercent,
  formatTokens,
  formatUsd,
} from '@/lib/format';

/** Values in tooltips, formatted as the page prints them beside the chart ($237.39, not $237.390678). */
export function formatTooltipValue(value: number | null, unit: Unit): string {
  if (value === null) return 'no data';
  switch (unit) {
    case 'usd':
      return formatUsd(value);
    case 'tokens':
      return `${formatTokens(value)} tokens`;
    case 'ratio':
      return formatPercent(value, 2);
    case 'decimal':
      return formatDecimal(value);
    default:
      return formatCount(value);
  }
}

/** Short values for axis ticks. */
export function formatTick(value: number, unit: Unit): string {
  switch (unit) {
    case 'usd':
      return value >= 1000 ? `$${formatCompact(value)}` : formatUsd(value).replace(/\.?0+$/, '');
    case 'ratio':
      return `${Math.round(value * 100)} %`;
    case 'decimal':
      return Math.abs(value) >= 1000 ? formatCompact(value) : formatDecimal(value);
    default:
      return formatCompact(value);
  }
}

export const UNIT_NAMES: Record<Unit, string> = {
  count: 'count',
  usd: 'USD',
  tokens: 'tokens',
  ratio: '%',
  decimal: '',
};
