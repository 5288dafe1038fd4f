import type { ChartData, Unit } from '@/lib/charts/prepare';
import type { BreakdownTableRow } from '@/lib/charts/breakdown-chart';
import { formatPercent } from '@/lib/format';
import { BarLineChart } from './charts/bar-line-chart';
import { formatTooltipValue } from './charts/format-value';
import { ExportLink } from './export-link';
import { FilterForm } from './filter-form';
import { FormField } from './form-field';
import { TABLE_HEAD_CLASS, TableFrame } from './table-frame';

/**
 * A section's figures grouped by a chosen dimension: the menu (a GET form, so the choice lives in
 * the URL), the largest groups stacked over time, and every group's total with its share.
 */
export function BreakdownSection({
  id,
  title,
  description,
  action,
  keep,
  choices,
  by,
  dimensionName,
  chart,
  table,
  unit,
  csvHref,
}: {
  id: string;
  title: string;
  description: string;
  action: string;
  /** URL parameters the menu keeps (the time range, the page's filters). */
  keep: Record<string, string | string[] | undefined>;
  choices: { value: string; label: string }[];
  by: string;
  dimensionName: string;
  chart: ChartData;
  table: { rows: BreakdownTableRow[]; total: number };
  unit: Unit;
  csvHref: string;
}) {
  const known = choices.some((choice) => choice.value === by);
  return (
    <section id={id} className="mt-6 scroll-mt-4" aria-labelledby={`${id}-heading`}>
      <div className="mb-2 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id={`${id}-heading`} className="text-base font-semibold">
            {title}
          </h2>
          <p className="text-xs text-slate-600 dark:text-slate-400">{description}</p>
        </div>
        <FilterForm action={action} className="flex items-end gap-2 text-sm" aria-label={title}>
          {Object.entries(keep).flatMap(([key, value]) =>
            (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v, i) => (
              <input key={`${key}-${i}`} type="hidden" name={key} value={v} />
            )),
          )}
          <FormField label="Group by">
            <select name="by" defaultValue={by} className="field" data-testid={`${id}-by`}>
              {known ? null : <option value={by}>{dimensionName}</option>}
              {choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </FormField>
          <button
            type="submit"
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Show
          </button>
        </FilterForm>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="card lg:col-span-2">
          {chart.empty ? (
            <div
              className="flex h-48 items-center justify-center rounded-md border border-dashed border-slate-300 px-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400"
              data-testid="chart-empty"
            >
              {chart.empty}
            </div>
          ) : (
            <BarLineChart data={chart} height={280} label={`${title} by ${dimensionName}`} />
          )}
        </div>
        <div>
          <TableFrame>
            <table className="w-full text-sm" data-testid={`${id}-table`}>
              <caption className="sr-only">
                {title} by {dimensionName}
              </caption>
              <thead className={TABLE_HEAD_CLASS}>
                <tr>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    {dimensionName}
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Total
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr
                    key={row.key}
                    className="border-b border-slate-100 last:border-0 dark:border-slate-800"
                  >
                    <th scope="row" className="max-w-48 truncate px-3 py-1.5 text-left font-normal">
                      <span title={row.label}>{row.label}</span>
                    </th>
                    <td className="px-3 py-1.5 text-right font-mono tabular-nums">
                      {formatTooltipValue(row.value, unit)}
                    </td>
                    <td className="px-3 py-1.5 text-right font-mono tabular-nums">
                      {formatPercent(row.share)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t border-slate-200 font-medium dark:border-slate-700">
                  <th scope="row" className="px-3 py-1.5 text-left">
                    Total
                  </th>
                  <td
                    className="px-3 py-1.5 text-right font-mono tabular-nums"
                    data-testid={`${id}-total`}
                  >
                    {formatTooltipValue(table.total, unit)}
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </TableFrame>
          <div className="mt-2">
            <ExportLink href={csvHref} label="Download breakdown CSV" />
          </div>
        </div>
      </div>
    </section>
  );
}
