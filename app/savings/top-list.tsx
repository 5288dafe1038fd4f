import { Card } from '@/components/card';
import { TextLink } from '@/components/text-link';
import { formatTokens, formatUsd } from '@/lib/format';

export type TopListRow = {
  key: string;
  label: string;
  href: string;
  note?: string;
  usd: number;
  tokens: number;
};

/** A short ranked list of what saved the most, each entry linking to its page. */
export function TopList({
  title,
  rows,
  empty,
}: {
  title: string;
  empty: string;
  rows: TopListRow[];
}) {
  return (
    <Card title={title}>
      {rows.length === 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">{empty}</p>
      ) : (
        <ol className="text-xs" data-testid={title.toLowerCase().replace(' ', '-')}>
          {rows.map((row) => (
            <li key={row.key} className="flex items-baseline justify-between gap-2">
              <span className="min-w-0 truncate">
                {/* At least 24 px tall: a target easy to hit (WCAG 2.2 target size). */}
                <TextLink
                  href={row.href}
                  className="inline-flex min-h-6 items-center font-mono"
                  title={row.label}
                >
                  {row.label}
                </TextLink>
                {row.note ? (
                  <span className="ml-1 text-slate-500 dark:text-slate-400">({row.note})</span>
                ) : null}
              </span>
              <span className="shrink-0 tabular-nums" title={`${formatTokens(row.tokens)} tokens`}>
                {formatUsd(row.usd)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
