/** How the reference system's stored figures are shown: by their column's name and kind. */
import { formatPercent, formatUsd } from './format';

/** A column's name as a label: `avg_cost_saved` reads "avg cost saved". */
export const columnLabel = (column: string) => column.replaceAll('_', ' ');

/** A stored figure as the column's name says it is meant (a rate, a percentage, dollars). */
export function referenceValue(column: string, value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (/rate$/.test(column)) return formatPercent(value > 1 ? value / 100 : value);
  if (/percent/.test(column))
    return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
  if (/cost/.test(column)) return formatUsd(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
