import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { TextLink } from '@/components/text-link';
import type { UnrecognisedCommand } from '@/db/queries/capture';
import { formatCount, formatDateTime } from '@/lib/format';

/** A new rule's form, filled in for one program: matched as a word, named after it. */
const ruleFor = (head: string) =>
  `/capture/rules/new?${new URLSearchParams({
    name: head,
    tool: 'Bash',
    match: `\\m${head.replace(/[^\w.-]/g, '').replace(/[.]/g, '\\.')}\\M`,
    signature: `${head.replace(/[^a-z0-9_-]/gi, '').toLowerCase() || 'tool'}:run:all`,
  }).toString()}`;

/** The Bash programs run most often that no enabled rule recognises. */
export function UnrecognisedTable({
  rows,
  admin,
  tz,
}: {
  rows: UnrecognisedCommand[];
  admin: boolean;
  tz: string;
}) {
  return (
    <Card title="Commands no rule recognises" testId="unrecognised" className="min-w-0">
      <DataTable
        testId="unrecognised-commands"
        rows={rows}
        rowKey={(row) => row.head}
        rowAttributes={(row) => ({ 'data-head': row.head })}
        empty="Every captured command in this range is recognised (or none was captured)."
        columns={[
          { header: 'Program', className: 'font-mono', cell: (row) => row.head },
          { header: 'Runs', key: 'runs', align: 'right', cell: (row) => formatCount(row.runs) },
          { header: 'Sessions', align: 'right', cell: (row) => formatCount(row.sessions) },
          {
            header: 'Latest',
            className: 'max-w-72 truncate font-mono text-xs',
            cell: (row) => (
              <span title={`${row.example} (${formatDateTime(row.lastAt, tz)})`}>
                {row.example}
              </span>
            ),
          },
          ...(admin
            ? [
                {
                  header: 'Rule',
                  cell: (row: UnrecognisedCommand) => (
                    <TextLink href={ruleFor(row.head)} aria-label={`Make a rule for ${row.head}`}>
                      Make a rule
                    </TextLink>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
