import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import type { TypeBreakdown as TypeRow } from '@/db/queries/savings';
import { OPTIMIZATION_COLORS, OPTIMIZATION_LABELS } from '@/lib/charts/savings-charts';
import { OPTIMIZATION_TYPES } from '@/lib/domain';
import { formatCount, formatPercent, formatTokens, formatUsd } from '@/lib/format';

const TOTAL = 'total';

/** Savings per optimization type (every type, zero where none), with a total row. */
export function TypeBreakdown({ byType, total }: { byType: TypeRow[]; total: TypeRow }) {
  const rows = [
    ...OPTIMIZATION_TYPES.map(
      (type) =>
        byType.find((t) => t.type === type) ?? {
          type,
          entries: 0,
          usd: 0,
          tokens: 0,
          baseline: 0,
          actual: 0,
        },
    ),
    { ...total, type: TOTAL },
  ];
  return (
    <Card title="By optimization type">
      <DataTable
        framed={false}
        testId="type-breakdown"
        rows={rows}
        rowKey={(row) => row.type}
        rowAttributes={(row) =>
          row.type === TOTAL ? { className: 'font-medium' } : { 'data-type': row.type }
        }
        columns={[
          {
            header: 'Type',
            cell: (row) =>
              row.type === TOTAL ? (
                'Total'
              ) : (
                <>
                  <span
                    className="mr-1.5 inline-block h-2 w-2 rounded-sm"
                    style={{ background: OPTIMIZATION_COLORS[row.type] }}
                    aria-hidden
                  />
                  {OPTIMIZATION_LABELS[row.type]}
                </>
              ),
          },
          {
            header: 'Entries',
            key: 'entries',
            align: 'right',
            cell: (row) => formatCount(row.entries),
          },
          { header: 'USD', key: 'usd', align: 'right', cell: (row) => formatUsd(row.usd) },
          {
            header: 'Share',
            key: 'share',
            align: 'right',
            cell: (row) => formatPercent(total.usd > 0 ? row.usd / total.usd : null),
          },
          {
            header: 'Tokens',
            key: 'tokens',
            align: 'right',
            cell: (row) => formatTokens(row.tokens),
          },
        ]}
      />
    </Card>
  );
}
