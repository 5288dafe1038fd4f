import { sql } from 'drizzle-orm';
import { liveOccurrenceTotals, liveSavingsTotals } from '../rollups/views';
import { question, readRows } from '../read-cache';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';

/**
 * A fingerprint of the figures the pages show: it changes when an occurrence or a savings entry
 * is added, removed or changes its figures, when a pattern is added or its status changes, and
 * when a note or a review is saved. Read through the cache, so under an unchanged snapshot it
 * costs nothing, and commits that touch none of these (sign-ins, alert evaluations) leave it as
 * it was: a live page reloads only when what it shows could have changed.
 */
export async function getDataVersion(db: Database): Promise<string> {
  const [row] = await readRows<{ version: string }>(
    db,
    question(
      'dataVersion',
      [],
      () => sql`SELECT concat_ws('|',
        (SELECT concat_ws(':', sum(occurrences), sum(scored), sum(similarity_sum))
          FROM ${liveOccurrenceTotals()} o),
        (SELECT concat_ws(':', sum(entries), sum(tokens_saved), sum(cost_saved_usd), sum(baseline_tokens))
          FROM ${liveSavingsTotals()} s),
        (SELECT concat_ws(':', count(*), max(id), sum(hashtext(coalesce(automation_status::text, ''))))
          FROM operation_patterns),
        (SELECT max(id) FROM pattern_ledger.note_history),
        (SELECT max(id) FROM pattern_ledger.review_history)) AS version`,
    ),
  );
  return row?.version ?? '';
}

/** The version a live page starts from; null when the page is not live (nothing is read). */
export async function getLiveVersion(db: Database, range: ResolvedRange): Promise<string | null> {
  const refresh = range.params.refresh;
  return refresh && refresh !== 'off' ? getDataVersion(db) : null;
}
