'use client';

import Link from 'next/link';
import { TextLink } from '@/components/text-link';
import { useEffect, useRef, useState } from 'react';
import { StatusBadge } from '@/components/status-badge';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import type { ReviewQueueRow } from '@/db/queries/review';
import { formatCount, formatPercent, formatUsd } from '@/lib/format';
import { isShortcutKey, REVIEW_SHORTCUTS, ReviewPanel, savedMessage } from './review-panel';

export type QueueHeader = {
  label: string;
  /** A sortable column's link and state; null for a plain column. */
  sort: { href: string; active: boolean; direction: 'asc' | 'desc' } | null;
  align: 'left' | 'right';
};

const cell = 'px-2 py-1.5';

/**
 * The queue with one selected pattern and its review panel. j/k (or the arrow keys) move the
 * selection; a reviewed pattern that leaves the queue makes room for the next one in its place.
 */
export function ReviewQueue({
  rows,
  headers,
  offset,
  canReview,
  patternHrefs,
}: {
  rows: ReviewQueueRow[];
  headers: QueueHeader[];
  offset: number;
  canReview: boolean;
  patternHrefs: Record<number, string>;
}) {
  const [index, setIndex] = useState(0);
  const panel = useRef<HTMLElement>(null);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  /** Selects a row picked by hand; below the two-column width the panel is under the queue, so
   * it is brought into view. */
  function pick(i: number) {
    setIndex(i);
    if (window.matchMedia('(max-width: 1279px)').matches) {
      panel.current?.scrollIntoView({ block: 'start' });
    }
  }
  const [lastReview, setLastReview] = useState<string | null>(null);
  const selectedIndex = Math.min(index, Math.max(rows.length - 1, 0));
  const selected = rows[selectedIndex];

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (!isShortcutKey(event)) return;
      if (event.key === 'j' || event.key === 'n' || event.key === 'ArrowDown') {
        event.preventDefault();
        setIndex((i) => Math.min(Math.min(i, rows.length - 1) + 1, rows.length - 1));
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        setIndex((i) => Math.max(Math.min(i, rows.length - 1) - 1, 0));
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [rows.length]);

  useEffect(() => {
    const row = rowRefs.current[selectedIndex];
    row?.scrollIntoView({ block: 'nearest' });
    // Keyboard focus follows the selection when it is already in the queue.
    if (row && document.activeElement?.closest('[data-testid="review-queue"]')) row.focus();
  }, [selectedIndex]);

  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <TableFrame>
        <table className="w-full text-xs" data-testid="review-queue">
          <caption className="sr-only">Patterns awaiting review</caption>
          <thead className={TABLE_HEAD_CLASS}>
            <tr>
              {headers.map((header) => (
                <th
                  key={header.label}
                  scope="col"
                  className={`${cell} font-medium ${header.align === 'right' ? 'text-right' : 'text-left'}`}
                  aria-sort={
                    header.sort?.active
                      ? header.sort.direction === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : undefined
                  }
                >
                  {header.sort ? (
                    <Link href={header.sort.href} className="hover:underline">
                      {header.label}
                      {header.sort.active ? (header.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                    </Link>
                  ) : (
                    header.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((row, i) => (
              <tr
                key={row.id}
                data-queue-index={i}
                data-signature={row.signature}
                aria-selected={i === selectedIndex}
                ref={(element) => {
                  rowRefs.current[i] = element;
                }}
                // One Tab stop for the whole queue (the selected row); arrows, j and k move.
                tabIndex={i === selectedIndex ? 0 : -1}
                onFocus={() => setIndex(i)}
                onClick={() => pick(i)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    pick(i);
                  }
                }}
                className={`cursor-pointer focus-visible:outline-2 focus-visible:outline-sky-600 ${
                  i === selectedIndex
                    ? 'bg-sky-50 outline outline-2 -outline-offset-2 outline-sky-500 dark:bg-sky-950'
                    : 'hover:bg-slate-50 dark:hover:bg-slate-800/50'
                }`}
              >
                <td className={`${cell} text-right tabular-nums`}>{offset + i + 1}</td>
                <td className={`${cell} font-mono`}>
                  {/* Not a Tab stop of its own: the queue is one; the panel links the pattern. */}
                  <TextLink href={patternHrefs[row.id] ?? '#'} tabIndex={-1}>
                    {row.signature}
                  </TextLink>
                </td>
                <td className={cell}>{row.type}</td>
                <td className={cell}>
                  <StatusBadge status={row.status} />
                </td>
                <td className={`${cell} text-right tabular-nums`}>
                  {formatCount(row.occurrences)}
                </td>
                <td className={`${cell} text-right tabular-nums`}>
                  {formatUsd(row.estimatedMonthly)}
                </td>
                <td className={`${cell} text-right tabular-nums`}>
                  {formatPercent(row.confidence)}
                </td>
                <td className={`${cell} text-right tabular-nums`} data-testid="priority">
                  {formatCount(Math.round(row.priority))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>

      <section
        ref={panel}
        aria-label="Selected pattern"
        className="card scroll-mt-4 self-start xl:sticky xl:top-4"
      >
        <p
          role="status"
          aria-live="polite"
          className="mb-2 min-h-4 text-xs text-emerald-700 dark:text-emerald-400"
        >
          {lastReview}
        </p>
        {selected ? (
          <>
            <h2 className="font-mono text-sm font-semibold" data-testid="selected-signature">
              <TextLink href={patternHrefs[selected.id] ?? '#'}>{selected.signature}</TextLink>
            </h2>
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              <StatusBadge status={selected.status} /> · {formatCount(selected.occurrences)}{' '}
              occurrences · estimated {formatUsd(selected.estimatedMonthly)} / month · confidence{' '}
              {formatPercent(selected.confidence)}
            </p>
            {selected.reviewNotes ? (
              <p className="mt-2 whitespace-pre-wrap text-xs">
                <span className="text-slate-600 dark:text-slate-400">Last review note: </span>
                {selected.reviewNotes}
              </p>
            ) : null}
            <div className="mt-3">
              {canReview ? (
                <ReviewPanel
                  key={selected.id}
                  patternId={selected.id}
                  signature={selected.signature}
                  version={selected.version}
                  currentStatus={selected.status}
                  shortcuts
                  onReviewed={(review) =>
                    setLastReview(savedMessage(review.signature, review.status, review.action))
                  }
                />
              ) : (
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  Reviewing needs the editor role; you can read the queue and each pattern&apos;s
                  review history.
                </p>
              )}
            </div>
            <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
              Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous
              {canReview
                ? REVIEW_SHORTCUTS.map(([key, label]) => (
                    <span key={key}>
                      , <kbd>{key}</kbd> {label}
                    </span>
                  ))
                : null}
              .
            </p>
          </>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing to review.</p>
        )}
      </section>
    </div>
  );
}
