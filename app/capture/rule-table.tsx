import { DataTable } from '@/components/data-table';
import { TextLink } from '@/components/text-link';
import type { CaptureRuleRow } from '@/db/queries/capture';
import { formatCount, formatDateTime } from '@/lib/format';
import { RederiveButton } from './capture-forms';

/** Every recognition rule with what it derived; admins edit and re-derive. */
export function RuleTable({
  rules,
  admin,
  tz,
}: {
  rules: CaptureRuleRow[];
  admin: boolean;
  tz: string;
}) {
  return (
    <section className="mt-6" aria-labelledby="rules-heading">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 id="rules-heading" className="text-base font-semibold">
            Recognition rules
          </h2>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            A tool call whose operation matches a rule&apos;s expression (PostgreSQL,
            case-insensitive; <code>\m</code> and <code>\M</code> mark word edges) is an occurrence
            of its signature, at most once per workflow (or session) and pattern.{' '}
            <code>{'{scope}'}</code> is backend or frontend as the command&apos;s paths or folder
            say.
          </p>
        </div>
        {admin ? (
          <TextLink href="/capture/rules/new" className="text-sm">
            Add a rule
          </TextLink>
        ) : null}
      </div>
      <DataTable
        roomy
        testId="capture-rules"
        rows={rules}
        rowKey={(rule) => rule.id}
        rowAttributes={(rule) => ({ 'data-rule': rule.name })}
        empty="No rules: nothing captured is recognised."
        columns={[
          {
            header: 'Rule',
            cell: (rule) =>
              admin ? (
                <TextLink href={`/capture/rules/${rule.id}`}>{rule.name}</TextLink>
              ) : (
                rule.name
              ),
          },
          { header: 'Tool', className: 'font-mono text-xs', cell: (rule) => rule.toolName },
          {
            header: 'Matches',
            className: 'max-w-64 break-all font-mono text-xs',
            cell: (rule) => rule.match,
          },
          { header: 'Signature', className: 'font-mono text-xs', cell: (rule) => rule.signature },
          {
            header: 'State',
            cell: (rule) =>
              `${rule.enabled ? 'on' : 'off'} · v${rule.version}${rule.builtin ? ' · shipped' : ''}`,
          },
          {
            header: 'Derived',
            key: 'occurrences',
            align: 'right',
            cell: (rule) => (
              <span
                title={
                  rule.lastDerivedAt ? `last ${formatDateTime(rule.lastDerivedAt, tz)}` : undefined
                }
              >
                {formatCount(rule.occurrences)} in {formatCount(rule.patterns)} patterns
              </span>
            ),
          },
          ...(admin
            ? [
                {
                  header: 'Actions',
                  cell: (rule: CaptureRuleRow) => <RederiveButton id={rule.id} name={rule.name} />,
                },
              ]
            : []),
        ]}
      />
    </section>
  );
}
