/** What happened on a page's charts: notes written here on savings entries, review decisions. */
import { sql } from 'drizzle-orm';
import type { ChartEvent } from '@/lib/charts/events';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { inRange } from './time';

/** Markers drawn at most per chart (the newest). */
const MAX_EVENTS = 500;

/**
 * Notes written in Pattern Ledger on savings entries within the range, newest first, with who
 * wrote them; only entries of `patternId` when given. A cleared note is an event too.
 */
export async function getNoteEvents(
  db: Database,
  range: ResolvedRange,
  patternId?: number,
): Promise<ChartEvent[]> {
  const rows = await readRows<{ at: number; text: string }>(
    db,
    sql`SELECT (date_part('epoch', h.changed_at) * 1000)::float8 AS at,
        '#' || h.savings_id || ' ' || coalesce(nullif(h.new_notes, ''), '(note cleared)')
          || coalesce(' (' || h.changed_by || ')', '') AS text
      FROM pattern_ledger.note_history h
      WHERE ${inRange(sql`h.changed_at`, range.filter)}
        ${
          patternId === undefined
            ? sql``
            : sql`AND EXISTS (SELECT 1 FROM cost_savings_log c WHERE c.id = h.savings_id AND c.pattern_id = ${patternId})`
        }
      ORDER BY h.changed_at DESC, h.id DESC LIMIT ${MAX_EVENTS}`,
  );
  return rows.map((row) => ({ ...row, kind: 'note' as const }));
}
