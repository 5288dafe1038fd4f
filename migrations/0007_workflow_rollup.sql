CREATE TABLE "workflow_rollup" (
	"workflow_id" text PRIMARY KEY NOT NULL,
	"occurrences" integer NOT NULL,
	"patterns" integer NOT NULL,
	"first_detected" timestamp,
	"last_detected" timestamp,
	"entries" integer NOT NULL,
	"tokens_saved" bigint NOT NULL,
	"cost_saved_usd" double precision NOT NULL,
	"first_saved" timestamp,
	"last_saved" timestamp,
	"undated" integer NOT NULL,
	"first_at" timestamp GENERATED ALWAYS AS (least(first_detected, first_saved)) STORED,
	"last_at" timestamp GENERATED ALWAYS AS (greatest(last_detected, last_saved)) STORED
);
--> statement-breakpoint
CREATE INDEX "idx_workflow_rollup_last_at" ON "workflow_rollup" USING btree ("last_at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_lock_workflows(workflow_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7403, h) FROM (SELECT DISTINCT hashtext(w) AS h FROM unnest(workflow_ids) w ORDER BY 1) sorted;
END;
$$;--> statement-breakpoint
-- Recounts the given workflows from the raw rows of both tables.
CREATE OR REPLACE FUNCTION pattern_ledger_recount_workflows(workflow_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_workflows(workflow_ids);
  WITH keys AS (
    SELECT DISTINCT w FROM unnest(workflow_ids) w WHERE w IS NOT NULL
  ), fresh AS (
    SELECT k.w, o.*, s.* FROM keys k
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, count(DISTINCT pattern_id)::int AS patterns,
        count(*) FILTER (WHERE detected_at IS NULL)::int AS undated_occurrences,
        min(detected_at) AS first_detected, max(detected_at) AS last_detected
      FROM pattern_occurrences o WHERE o.workflow_id = k.w) o
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS entries, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd::float8), 0) AS usd,
        count(*) FILTER (WHERE saved_at IS NULL)::int AS undated_entries, min(saved_at) AS first_saved, max(saved_at) AS last_saved
      FROM cost_savings_log s WHERE s.workflow_id = k.w) s
  ), gone AS (
    DELETE FROM workflow_rollup r USING fresh f WHERE f.n = 0 AND f.entries = 0 AND r.workflow_id = f.w
  )
  INSERT INTO workflow_rollup AS r (workflow_id, occurrences, patterns, first_detected, last_detected, entries, tokens_saved,
      cost_saved_usd, first_saved, last_saved, undated)
    SELECT w, n, patterns, first_detected, last_detected, entries, tokens, usd, first_saved, last_saved,
      undated_occurrences + undated_entries
    FROM fresh WHERE n > 0 OR entries > 0
  ON CONFLICT (workflow_id) DO UPDATE SET occurrences = excluded.occurrences, patterns = excluded.patterns,
    first_detected = excluded.first_detected, last_detected = excluded.last_detected, entries = excluded.entries,
    tokens_saved = excluded.tokens_saved, cost_saved_usd = excluded.cost_saved_usd, first_saved = excluded.first_saved,
    last_saved = excluded.last_saved, undated = excluded.undated;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_patterns(7401, array_agg(pattern_id)) FROM new_rows;
  PERFORM pattern_ledger_lock_workflows(array_agg(workflow_id)) FROM new_rows;
  INSERT INTO occurrence_rollup_hourly AS r (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT pattern_id, date_trunc('hour', detected_at), count(*), count(similarity_score),
      coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
    FROM new_rows WHERE detected_at IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (pattern_id, bucket) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
    scored = r.scored + excluded.scored, similarity_sum = r.similarity_sum + excluded.similarity_sum,
    similarity_min = least(r.similarity_min, excluded.similarity_min);
  INSERT INTO occurrence_rollup_daily AS r (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT pattern_id, date_trunc('day', detected_at), count(*), count(similarity_score),
      coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
    FROM new_rows WHERE detected_at IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (pattern_id, bucket) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
    scored = r.scored + excluded.scored, similarity_sum = r.similarity_sum + excluded.similarity_sum,
    similarity_min = least(r.similarity_min, excluded.similarity_min);
  WITH added AS (
    SELECT pattern_id, workflow_id, count(*)::int AS n FROM new_rows GROUP BY 1, 2
  ), stored AS (
    INSERT INTO pattern_workflow_rollup AS r (pattern_id, workflow_id, occurrences) SELECT * FROM added
    ON CONFLICT (pattern_id, workflow_id) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences
    RETURNING r.pattern_id, r.workflow_id, r.occurrences
  ), new_pairs AS (
    -- A pair that now holds exactly this statement's rows did not exist before.
    SELECT s.pattern_id, s.workflow_id FROM stored s JOIN added a USING (pattern_id, workflow_id)
    WHERE s.occurrences = a.n
  ), per_workflow AS (
    SELECT workflow_id, count(*)::int AS n, count(*) FILTER (WHERE detected_at IS NULL)::int AS undated,
      min(detected_at) AS first_detected, max(detected_at) AS last_detected,
      (SELECT count(*)::int FROM new_pairs np WHERE np.workflow_id = nr.workflow_id) AS new_patterns
    FROM new_rows nr GROUP BY 1
  ), workflows AS (
    INSERT INTO workflow_rollup AS r (workflow_id, occurrences, patterns, first_detected, last_detected, entries,
        tokens_saved, cost_saved_usd, undated)
      SELECT workflow_id, n, new_patterns, first_detected, last_detected, 0, 0, 0, undated FROM per_workflow
    ON CONFLICT (workflow_id) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
      patterns = r.patterns + excluded.patterns, undated = r.undated + excluded.undated,
      first_detected = least(r.first_detected, excluded.first_detected),
      last_detected = greatest(r.last_detected, excluded.last_detected)
  ), per_pattern AS (
    SELECT pattern_id, count(*)::int AS n, count(*) FILTER (WHERE detected_at IS NULL)::int AS undated,
      count(similarity_score)::int AS scored, coalesce(sum(pattern_ledger_ratio(similarity_score)), 0) AS sim_sum,
      min(pattern_ledger_ratio(similarity_score)) AS sim_min,
      (SELECT count(*)::int FROM new_pairs np WHERE np.pattern_id = nr.pattern_id) AS new_workflows
    FROM new_rows nr GROUP BY 1
  )
  INSERT INTO occurrence_rollup_total AS t (pattern_id, occurrences, undated, scored, similarity_sum, similarity_min, workflows)
    SELECT pattern_id, n, undated, scored, sim_sum, sim_min, new_workflows FROM per_pattern
  ON CONFLICT (pattern_id) DO UPDATE SET occurrences = t.occurrences + excluded.occurrences,
    undated = t.undated + excluded.undated, scored = t.scored + excluded.scored,
    similarity_sum = t.similarity_sum + excluded.similarity_sum,
    similarity_min = least(t.similarity_min, excluded.similarity_min), workflows = t.workflows + excluded.workflows;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recount_occurrences(array_agg(pattern_id), array_agg(date_trunc('hour', detected_at)), array_agg(workflow_id)),
      pattern_ledger_recount_workflows(array_agg(workflow_id))
    FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recount_occurrences(array_agg(k.pattern_id), array_agg(date_trunc('hour', k.detected_at)), array_agg(k.workflow_id)),
      pattern_ledger_recount_workflows(array_agg(k.workflow_id))
    FROM (
      SELECT side.* FROM old_rows o JOIN new_rows n USING (id)
        CROSS JOIN LATERAL (VALUES (o.pattern_id, o.detected_at, o.workflow_id), (n.pattern_id, n.detected_at, n.workflow_id))
          AS side(pattern_id, detected_at, workflow_id)
        WHERE (o.pattern_id, o.workflow_id, o.similarity_score, o.detected_at)
          IS DISTINCT FROM (n.pattern_id, n.workflow_id, n.similarity_score, n.detected_at)
    ) k HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE occurrence_rollup_hourly, occurrence_rollup_daily, occurrence_rollup_total, pattern_workflow_rollup;
  -- Workflows keep their savings.
  PERFORM pattern_ledger_recount_workflows(array_agg(workflow_id)) FROM workflow_rollup;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_patterns(7402, array_agg(pattern_id)) FROM new_rows;
  PERFORM pattern_ledger_lock_workflows(array_agg(workflow_id)) FROM new_rows;
  INSERT INTO savings_rollup_hourly AS r (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT date_trunc('hour', saved_at), optimization_type, pattern_id, count(*), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (bucket, optimization_type, pattern_id) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens;
  INSERT INTO savings_rollup_daily AS r (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT date_trunc('day', saved_at), optimization_type, pattern_id, count(*), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (bucket, optimization_type, pattern_id) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens;
  INSERT INTO savings_rollup_total AS r (optimization_type, pattern_id, entries, undated, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT optimization_type, pattern_id, count(*), count(*) FILTER (WHERE saved_at IS NULL), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows GROUP BY 1, 2
  ON CONFLICT (optimization_type, pattern_id) DO UPDATE SET entries = r.entries + excluded.entries,
    undated = r.undated + excluded.undated,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens;
  INSERT INTO workflow_rollup AS r (workflow_id, occurrences, patterns, entries, tokens_saved, cost_saved_usd, first_saved, last_saved, undated)
    SELECT workflow_id, 0, 0, count(*), coalesce(sum(tokens_saved), 0), coalesce(sum(cost_saved_usd::float8), 0),
      min(saved_at), max(saved_at), count(*) FILTER (WHERE saved_at IS NULL)
    FROM new_rows GROUP BY 1
  ON CONFLICT (workflow_id) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    first_saved = least(r.first_saved, excluded.first_saved), last_saved = greatest(r.last_saved, excluded.last_saved),
    undated = r.undated + excluded.undated;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recount_savings(array_agg(pattern_id), array_agg(optimization_type), array_agg(date_trunc('hour', saved_at))),
      pattern_ledger_recount_workflows(array_agg(workflow_id))
    FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recount_savings(array_agg(k.pattern_id), array_agg(k.optimization_type), array_agg(date_trunc('hour', k.saved_at))),
      pattern_ledger_recount_workflows(array_agg(k.workflow_id))
    FROM (
      SELECT side.* FROM old_rows o JOIN new_rows n USING (id)
        CROSS JOIN LATERAL (VALUES (o.pattern_id, o.optimization_type, o.saved_at, o.workflow_id),
            (n.pattern_id, n.optimization_type, n.saved_at, n.workflow_id))
          AS side(pattern_id, optimization_type, saved_at, workflow_id)
        WHERE (o.pattern_id, o.optimization_type, o.saved_at, o.workflow_id, o.tokens_saved, o.cost_saved_usd, o.baseline_tokens, o.actual_tokens)
          IS DISTINCT FROM (n.pattern_id, n.optimization_type, n.saved_at, n.workflow_id, n.tokens_saved, n.cost_saved_usd, n.baseline_tokens, n.actual_tokens)
    ) k HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE savings_rollup_hourly, savings_rollup_daily, savings_rollup_total;
  PERFORM pattern_ledger_recount_workflows(array_agg(workflow_id)) FROM workflow_rollup;
  RETURN NULL;
END;
$$;--> statement-breakpoint
INSERT INTO workflow_rollup (workflow_id, occurrences, patterns, first_detected, last_detected, entries, tokens_saved,
    cost_saved_usd, first_saved, last_saved, undated)
  SELECT w.workflow_id, coalesce(o.n, 0), coalesce(o.patterns, 0), o.first_detected, o.last_detected, coalesce(s.entries, 0),
    coalesce(s.tokens, 0), coalesce(s.usd, 0), s.first_saved, s.last_saved, coalesce(o.undated, 0) + coalesce(s.undated, 0)
  FROM (SELECT workflow_id FROM pattern_occurrences UNION SELECT workflow_id FROM cost_savings_log) w
  LEFT JOIN (SELECT workflow_id, count(*) AS n, count(DISTINCT pattern_id) AS patterns, count(*) FILTER (WHERE detected_at IS NULL) AS undated,
      min(detected_at) AS first_detected, max(detected_at) AS last_detected
    FROM pattern_occurrences GROUP BY 1) o USING (workflow_id)
  LEFT JOIN (SELECT workflow_id, count(*) AS entries, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd::float8), 0) AS usd,
      count(*) FILTER (WHERE saved_at IS NULL) AS undated, min(saved_at) AS first_saved, max(saved_at) AS last_saved
    FROM cost_savings_log GROUP BY 1) s USING (workflow_id);
