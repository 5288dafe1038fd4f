import 'server-only';
import { sql } from 'drizzle-orm';
import type { BatchIssue, OccurrenceItem, SavingsItem } from '@/lib/api/ingest-schemas';
import type { Database } from '../types';
import { queryRows } from '../sql';

/*
 * Batch writes for the ingestion API. Each runs inside the caller's transaction. Items travel as
 * one JSON document read with json_to_recordset, so a batch is a few set-based statements whatever
 * its size, on both PGlite and PostgreSQL. Times are ISO strings with a zone and are stored in UTC.
 */

const patternTypeOf = (item: OccurrenceItem) =>
  item.pattern_type ?? item.pattern_signature.split(':')[0]!;

export type OccurrencesWritten = {
  ids: number[];
  /** The pattern of each occurrence, in item order. */
  patternIds: number[];
  patternsCreated: string[];
};

/**
 * Like the real system's record_pattern_occurrence, for a whole batch: creates the patterns whose
 * signature is new, adds each pattern's number of new occurrences to its occurrence_count and moves
 * last_seen (and first_detected, for back-filled times), then inserts the occurrences.
 */
export async function recordOccurrences(
  tx: Database,
  items: OccurrenceItem[],
): Promise<OccurrencesWritten> {
  const input = JSON.stringify(
    items.map((item, i) => ({
      i,
      signature: item.pattern_signature,
      pattern_type: patternTypeOf(item),
      workflow_id: item.workflow_id,
      similarity: item.similarity_score,
      characteristics: item.matched_characteristics ?? null,
      at: item.detected_at ?? null,
    })),
  );
  const rows = sql`(SELECT i, signature, pattern_type, workflow_id, similarity, characteristics,
      coalesce(at AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') AS at
    FROM json_to_recordset(${input}::json) AS x(i int, signature text, pattern_type text,
      workflow_id text, similarity float8, characteristics json, at timestamptz))`;

  // In signature order, so that concurrent batches take the unique-index locks in one order.
  const created = await queryRows<{ signature: string }>(
    tx,
    sql`INSERT INTO operation_patterns
          (pattern_signature, pattern_type, first_detected, last_seen, occurrence_count)
        SELECT signature, min(pattern_type), min(at), max(at), 0
        FROM ${rows} AS input GROUP BY signature ORDER BY signature
        ON CONFLICT (pattern_signature) DO NOTHING
        RETURNING pattern_signature AS signature`,
  );
  // Row locks in id order before the counters change: concurrent batches cannot deadlock.
  await queryRows(
    tx,
    sql`SELECT id FROM operation_patterns
        WHERE pattern_signature IN (SELECT signature FROM ${rows} AS input)
        ORDER BY id FOR UPDATE`,
  );
  await queryRows(
    tx,
    sql`UPDATE operation_patterns p SET
          occurrence_count = coalesce(p.occurrence_count, 0) + c.n,
          first_detected = least(p.first_detected, c.first_at),
          last_seen = greatest(p.last_seen, c.last_at),
          updated_at = now() AT TIME ZONE 'UTC'
        FROM (SELECT signature, count(*)::int AS n, min(at) AS first_at, max(at) AS last_at
              FROM ${rows} AS input GROUP BY signature) c
        WHERE p.pattern_signature = c.signature`,
  );
  const inserted = await queryRows<{ id: number; patternId: number }>(
    tx,
    sql`INSERT INTO pattern_occurrences
          (pattern_id, workflow_id, similarity_score, matched_characteristics, detected_at)
        SELECT p.id, input.workflow_id, input.similarity, input.characteristics, input.at
        FROM ${rows} AS input JOIN operation_patterns p ON p.pattern_signature = input.signature
        ORDER BY input.i
        RETURNING id::bigint AS id, pattern_id::bigint AS "patternId"`,
  );
  // Serial ids are drawn in insertion order, which is item order.
  inserted.sort((a, b) => a.id - b.id);
  return {
    ids: inserted.map((row) => row.id),
    patternIds: inserted.map((row) => row.patternId),
    patternsCreated: created.map((row) => row.signature).sort(),
  };
}

export type SavingsWritten = { ids: number[] } | { issues: BatchIssue[] };

/** Inserts savings entries; an unknown pattern id or signature refuses the batch. */
export async function logSavings(tx: Database, items: SavingsItem[]): Promise<SavingsWritten> {
  const input = JSON.stringify(
    items.map((item, i) => ({
      i,
      optimization_type: item.optimization_type,
      workflow_id: item.workflow_id,
      tool_call_id: item.tool_call_id ?? null,
      pattern_id: item.pattern_id ?? null,
      signature: item.pattern_signature ?? null,
      baseline: item.baseline_tokens,
      actual: item.actual_tokens,
      usd: item.cost_saved_usd,
      notes: item.notes ?? null,
      at: item.saved_at ?? null,
    })),
  );
  const resolved = sql`(SELECT x.*, p.id AS resolved_pattern_id,
      coalesce(x.at AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') AS saved_at
    FROM json_to_recordset(${input}::json) AS x(i int, optimization_type text, workflow_id text,
      tool_call_id text, pattern_id bigint, signature text, baseline int, actual int, usd float8,
      notes text, at timestamptz)
    LEFT JOIN operation_patterns p
      ON p.id = x.pattern_id OR (x.pattern_id IS NULL AND p.pattern_signature = x.signature))`;

  const unknown = await queryRows<{
    i: number;
    pattern_id: number | null;
    signature: string | null;
  }>(
    tx,
    sql`SELECT i, pattern_id, signature FROM ${resolved} AS input
        WHERE (pattern_id IS NOT NULL OR signature IS NOT NULL) AND resolved_pattern_id IS NULL
        ORDER BY i`,
  );
  if (unknown.length > 0) {
    return {
      issues: unknown.map((row) =>
        row.pattern_id !== null
          ? { item: row.i, field: 'pattern_id', message: `no pattern has id ${row.pattern_id}` }
          : {
              item: row.i,
              field: 'pattern_signature',
              message: `no pattern has the signature ${row.signature}`,
            },
      ),
    };
  }
  const inserted = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, tool_call_id, pattern_id,
          baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd, saved_at, notes)
        SELECT optimization_type, workflow_id, tool_call_id, resolved_pattern_id,
          baseline, actual, baseline - actual, usd, saved_at, notes
        FROM ${resolved} AS input ORDER BY i
        RETURNING id::bigint AS id`,
  );
  return { ids: inserted.map((row) => row.id).sort((a, b) => a - b) };
}
