CREATE TABLE "data_quality_defect" (
	"check_id" text NOT NULL,
	"row_id" integer NOT NULL,
	CONSTRAINT "data_quality_defect_check_id_row_id_pk" PRIMARY KEY("check_id","row_id")
);
--> statement-breakpoint
CREATE TABLE "occurrence_all_rollup_daily" (
	"bucket" timestamp NOT NULL,
	"occurrences" integer NOT NULL,
	"scored" integer NOT NULL,
	"similarity_sum" double precision NOT NULL,
	"similarity_min" double precision,
	CONSTRAINT "occurrence_all_rollup_daily_bucket_pk" PRIMARY KEY("bucket")
);
--> statement-breakpoint
CREATE TABLE "occurrence_all_rollup_hourly" (
	"bucket" timestamp NOT NULL,
	"occurrences" integer NOT NULL,
	"scored" integer NOT NULL,
	"similarity_sum" double precision NOT NULL,
	"similarity_min" double precision,
	CONSTRAINT "occurrence_all_rollup_hourly_bucket_pk" PRIMARY KEY("bucket")
);
--> statement-breakpoint
CREATE TABLE "occurrence_rollup_daily" (
	"pattern_id" integer NOT NULL,
	"bucket" timestamp NOT NULL,
	"occurrences" integer NOT NULL,
	"scored" integer NOT NULL,
	"similarity_sum" double precision NOT NULL,
	"similarity_min" double precision,
	CONSTRAINT "occurrence_rollup_daily_pattern_id_bucket_pk" PRIMARY KEY("pattern_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "occurrence_rollup_hourly" (
	"pattern_id" integer NOT NULL,
	"bucket" timestamp NOT NULL,
	"occurrences" integer NOT NULL,
	"scored" integer NOT NULL,
	"similarity_sum" double precision NOT NULL,
	"similarity_min" double precision,
	CONSTRAINT "occurrence_rollup_hourly_pattern_id_bucket_pk" PRIMARY KEY("pattern_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "occurrence_rollup_total" (
	"pattern_id" integer PRIMARY KEY NOT NULL,
	"occurrences" integer NOT NULL,
	"undated" integer NOT NULL,
	"scored" integer NOT NULL,
	"similarity_sum" double precision NOT NULL,
	"similarity_min" double precision,
	"workflows" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pattern_workflow_rollup" (
	"pattern_id" integer NOT NULL,
	"workflow_id" text NOT NULL,
	"occurrences" integer NOT NULL,
	CONSTRAINT "pattern_workflow_rollup_pattern_id_workflow_id_pk" PRIMARY KEY("pattern_id","workflow_id")
);
--> statement-breakpoint
CREATE TABLE "savings_rollup_daily" (
	"bucket" timestamp NOT NULL,
	"optimization_type" text NOT NULL,
	"pattern_id" integer,
	"entries" integer NOT NULL,
	"tokens_saved" bigint NOT NULL,
	"cost_saved_usd" double precision NOT NULL,
	"baseline_tokens" bigint NOT NULL,
	"actual_tokens" bigint NOT NULL,
	CONSTRAINT "savings_rollup_daily_key" UNIQUE NULLS NOT DISTINCT("bucket","optimization_type","pattern_id")
);
--> statement-breakpoint
CREATE TABLE "savings_rollup_hourly" (
	"bucket" timestamp NOT NULL,
	"optimization_type" text NOT NULL,
	"pattern_id" integer,
	"entries" integer NOT NULL,
	"tokens_saved" bigint NOT NULL,
	"cost_saved_usd" double precision NOT NULL,
	"baseline_tokens" bigint NOT NULL,
	"actual_tokens" bigint NOT NULL,
	CONSTRAINT "savings_rollup_hourly_key" UNIQUE NULLS NOT DISTINCT("bucket","optimization_type","pattern_id")
);
--> statement-breakpoint
CREATE TABLE "savings_rollup_total" (
	"optimization_type" text NOT NULL,
	"pattern_id" integer,
	"entries" integer NOT NULL,
	"undated" integer NOT NULL,
	"tokens_saved" bigint NOT NULL,
	"cost_saved_usd" double precision NOT NULL,
	"baseline_tokens" bigint NOT NULL,
	"actual_tokens" bigint NOT NULL,
	CONSTRAINT "savings_rollup_total_key" UNIQUE NULLS NOT DISTINCT("optimization_type","pattern_id")
);
--> statement-breakpoint
CREATE TABLE "savings_type_rollup_daily" (
	"bucket" timestamp NOT NULL,
	"optimization_type" text NOT NULL,
	"entries" integer NOT NULL,
	"tokens_saved" bigint NOT NULL,
	"cost_saved_usd" double precision NOT NULL,
	"baseline_tokens" bigint NOT NULL,
	"actual_tokens" bigint NOT NULL,
	CONSTRAINT "savings_type_rollup_daily_bucket_optimization_type_pk" PRIMARY KEY("bucket","optimization_type")
);
--> statement-breakpoint
CREATE TABLE "savings_type_rollup_hourly" (
	"bucket" timestamp NOT NULL,
	"optimization_type" text NOT NULL,
	"entries" integer NOT NULL,
	"tokens_saved" bigint NOT NULL,
	"cost_saved_usd" double precision NOT NULL,
	"baseline_tokens" bigint NOT NULL,
	"actual_tokens" bigint NOT NULL,
	CONSTRAINT "savings_type_rollup_hourly_bucket_optimization_type_pk" PRIMARY KEY("bucket","optimization_type")
);
--> statement-breakpoint
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
-- Bucket indexes carry every figure (INCLUDE): a range of buckets is read from the index alone.
CREATE INDEX "idx_occurrence_rollup_daily_bucket" ON "occurrence_rollup_daily" USING btree ("bucket") INCLUDE ("pattern_id","occurrences","scored","similarity_sum","similarity_min");--> statement-breakpoint
CREATE INDEX "idx_occurrence_rollup_hourly_bucket" ON "occurrence_rollup_hourly" USING btree ("bucket") INCLUDE ("pattern_id","occurrences","scored","similarity_sum","similarity_min");--> statement-breakpoint
CREATE INDEX "idx_savings_rollup_daily_bucket" ON "savings_rollup_daily" USING btree ("bucket") INCLUDE ("optimization_type","pattern_id","entries","tokens_saved","cost_saved_usd","baseline_tokens","actual_tokens");--> statement-breakpoint
CREATE INDEX "idx_savings_rollup_daily_pattern" ON "savings_rollup_daily" USING btree ("pattern_id","bucket");--> statement-breakpoint
CREATE INDEX "idx_savings_rollup_hourly_bucket" ON "savings_rollup_hourly" USING btree ("bucket") INCLUDE ("optimization_type","pattern_id","entries","tokens_saved","cost_saved_usd","baseline_tokens","actual_tokens");--> statement-breakpoint
CREATE INDEX "idx_savings_rollup_hourly_pattern" ON "savings_rollup_hourly" USING btree ("pattern_id","bucket");--> statement-breakpoint
CREATE INDEX "idx_workflow_rollup_last_at" ON "workflow_rollup" USING btree ("last_at");--> statement-breakpoint
-- Pattern Ledger's own index, widened so that a pattern's workflows and similarities in a range are
-- read from the index alone (distinct workflows are not additive across rollup buckets), newest first.
DROP INDEX IF EXISTS "idx_pattern_occurrences_pattern_detected";--> statement-breakpoint
CREATE INDEX "idx_pattern_occurrences_pattern_detected" ON "pattern_occurrences" USING btree ("pattern_id","detected_at" DESC NULLS LAST,"id" DESC) INCLUDE ("workflow_id","similarity_score");--> statement-breakpoint
-- Newest-first lists (undated last) read in index order instead of sorting a range.
CREATE INDEX IF NOT EXISTS "idx_cost_savings_saved_at_newest" ON "cost_savings_log" USING btree ("saved_at" DESC NULLS LAST,"id" DESC);--> statement-breakpoint
CREATE INDEX "idx_pattern_workflow_rollup_repeated" ON "pattern_workflow_rollup" USING btree ("occurrences" DESC,"pattern_id","workflow_id") WHERE "occurrences" > 1;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_cost_savings_noted_newest" ON "cost_savings_log" USING btree ("saved_at" DESC NULLS LAST,"id" DESC) WHERE coalesce("notes", '') <> '';--> statement-breakpoint
-- A similarity or confidence as a 0–1 ratio (a value above 1 is a percentage), as the pages read it.
CREATE OR REPLACE FUNCTION pattern_ledger_ratio(score real) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN score > 1 THEN score::float8 / 100 ELSE score::float8 END
$$;--> statement-breakpoint
-- The row-local data-quality checks a row fails, by check id (data_quality_defect).
CREATE OR REPLACE FUNCTION pattern_ledger_occurrence_defects(characteristics text, similarity double precision) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN characteristics IS NOT NULL AND NOT pattern_ledger_is_json(characteristics) THEN 'invalid-json' END,
    CASE WHEN similarity < 0 OR similarity > 100 THEN 'implausible:pattern_occurrences.similarity_score' END
  ], NULL)
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_defects(tokens bigint, baseline bigint, actual bigint, usd double precision) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN tokens IS DISTINCT FROM baseline - actual THEN 'tokens-mismatch' END,
    CASE WHEN tokens < 0 OR tokens > 10000000 THEN 'implausible:cost_savings_log.tokens_saved' END,
    CASE WHEN baseline < 0 OR baseline > 10000000 THEN 'implausible:cost_savings_log.baseline_tokens' END,
    CASE WHEN actual < 0 OR actual > 10000000 THEN 'implausible:cost_savings_log.actual_tokens' END,
    CASE WHEN usd < 0 OR usd > 100 THEN 'implausible:cost_savings_log.cost_saved_usd' END
  ], NULL)
$$;--> statement-breakpoint
-- Re-evaluates the given rows' defects (deleted rows lose theirs).
CREATE OR REPLACE FUNCTION pattern_ledger_recheck_occurrences(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM data_quality_defect WHERE row_id = ANY(ids)
    AND check_id IN ('invalid-json', 'implausible:pattern_occurrences.similarity_score');
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT unnest(pattern_ledger_occurrence_defects(matched_characteristics::text, similarity_score::float8)), id
    FROM pattern_occurrences WHERE id = ANY(ids)
  ON CONFLICT DO NOTHING;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_recheck_savings(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM data_quality_defect WHERE row_id = ANY(ids) AND (check_id = 'tokens-mismatch' OR check_id LIKE 'implausible:cost_savings_log.%');
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT unnest(pattern_ledger_savings_defects(tokens_saved::bigint, baseline_tokens::bigint, actual_tokens::bigint, cost_saved_usd::float8)), id
    FROM cost_savings_log WHERE id = ANY(ids)
  ON CONFLICT DO NOTHING;
END;
$$;--> statement-breakpoint
-- Rollup writers take transaction locks on the patterns' (and workflows') lock slots, in sorted
-- order, before touching their rollups, so that a recount (after UPDATE or DELETE) never overwrites
-- the additions of a concurrent INSERT. Ids share 128 slots per kind: a bulk insert over thousands
-- of patterns or workflows takes at most 128 locks of each, well inside the shared lock table
-- (max_locks_per_transaction); unrelated ids sharing a slot only wait for each other.
CREATE OR REPLACE FUNCTION pattern_ledger_lock_patterns(namespace integer, pattern_ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(namespace, slot)
    FROM (SELECT DISTINCT mod(coalesce(p, 0), 128) AS slot FROM unnest(pattern_ids) p ORDER BY 1) sorted;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_lock_workflows(workflow_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7403, slot)
    FROM (SELECT DISTINCT mod(abs(hashtext(w)::bigint), 128)::int AS slot FROM unnest(workflow_ids) w ORDER BY 1) sorted;
END;
$$;--> statement-breakpoint
-- Recounts the given workflows from the raw rows of both tables.
CREATE OR REPLACE FUNCTION pattern_ledger_recount_workflows(workflow_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_workflows(workflow_ids);
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT w FROM unnest($1) w WHERE w IS NOT NULL
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
    last_saved = excluded.last_saved, undated = excluded.undated
  $q$ USING workflow_ids;
END;
$$;--> statement-breakpoint
-- New occurrences are added to their rollups. The statements run through EXECUTE so that each is
-- planned for the statement's real number of rows (a plan cached for a 5-row insert would nest
-- loops over a 100,000-row one).
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_patterns(7401, array_agg(pattern_id)) FROM new_rows;
  PERFORM pattern_ledger_lock_workflows(array_agg(workflow_id)) FROM new_rows;
  EXECUTE $q$
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT unnest(pattern_ledger_occurrence_defects(matched_characteristics::text, similarity_score::float8)), id FROM new_rows
  ON CONFLICT DO NOTHING
  $q$;
  EXECUTE $q$
  INSERT INTO occurrence_rollup_hourly AS r (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT pattern_id, date_trunc('hour', detected_at), count(*), count(similarity_score),
      coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
    FROM new_rows WHERE detected_at IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (pattern_id, bucket) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
    scored = r.scored + excluded.scored, similarity_sum = r.similarity_sum + excluded.similarity_sum,
    similarity_min = least(r.similarity_min, excluded.similarity_min)
  $q$;
  EXECUTE $q$
  INSERT INTO occurrence_rollup_daily AS r (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT pattern_id, date_trunc('day', detected_at), count(*), count(similarity_score),
      coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
    FROM new_rows WHERE detected_at IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (pattern_id, bucket) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
    scored = r.scored + excluded.scored, similarity_sum = r.similarity_sum + excluded.similarity_sum,
    similarity_min = least(r.similarity_min, excluded.similarity_min)
  $q$;
  EXECUTE $q$
  INSERT INTO occurrence_all_rollup_hourly AS r (bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT date_trunc('hour', detected_at), count(*), count(similarity_score),
      coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
    FROM new_rows WHERE detected_at IS NOT NULL GROUP BY 1
  ON CONFLICT (bucket) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
    scored = r.scored + excluded.scored, similarity_sum = r.similarity_sum + excluded.similarity_sum,
    similarity_min = least(r.similarity_min, excluded.similarity_min)
  $q$;
  EXECUTE $q$
  INSERT INTO occurrence_all_rollup_daily AS r (bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT date_trunc('day', detected_at), count(*), count(similarity_score),
      coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
    FROM new_rows WHERE detected_at IS NOT NULL GROUP BY 1
  ON CONFLICT (bucket) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
    scored = r.scored + excluded.scored, similarity_sum = r.similarity_sum + excluded.similarity_sum,
    similarity_min = least(r.similarity_min, excluded.similarity_min)
  $q$;
  EXECUTE $q$
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
      min(detected_at) AS first_detected, max(detected_at) AS last_detected
    FROM new_rows GROUP BY 1
  ), new_patterns AS (
    SELECT workflow_id, count(*)::int AS n FROM new_pairs GROUP BY 1
  ), workflows AS (
    INSERT INTO workflow_rollup AS r (workflow_id, occurrences, patterns, first_detected, last_detected, entries,
        tokens_saved, cost_saved_usd, undated)
      SELECT w.workflow_id, w.n, coalesce(np.n, 0), w.first_detected, w.last_detected, 0, 0, 0, w.undated
      FROM per_workflow w LEFT JOIN new_patterns np USING (workflow_id)
    ON CONFLICT (workflow_id) DO UPDATE SET occurrences = r.occurrences + excluded.occurrences,
      patterns = r.patterns + excluded.patterns, undated = r.undated + excluded.undated,
      first_detected = least(r.first_detected, excluded.first_detected),
      last_detected = greatest(r.last_detected, excluded.last_detected)
  ), per_pattern AS (
    SELECT pattern_id, count(*)::int AS n, count(*) FILTER (WHERE detected_at IS NULL)::int AS undated,
      count(similarity_score)::int AS scored, coalesce(sum(pattern_ledger_ratio(similarity_score)), 0) AS sim_sum,
      min(pattern_ledger_ratio(similarity_score)) AS sim_min
    FROM new_rows GROUP BY 1
  ), new_workflows AS (
    SELECT pattern_id, count(*)::int AS n FROM new_pairs GROUP BY 1
  )
  INSERT INTO occurrence_rollup_total AS t (pattern_id, occurrences, undated, scored, similarity_sum, similarity_min, workflows)
    SELECT p.pattern_id, p.n, p.undated, p.scored, p.sim_sum, p.sim_min, coalesce(nw.n, 0)
    FROM per_pattern p LEFT JOIN new_workflows nw USING (pattern_id)
  ON CONFLICT (pattern_id) DO UPDATE SET occurrences = t.occurrences + excluded.occurrences,
    undated = t.undated + excluded.undated, scored = t.scored + excluded.scored,
    similarity_sum = t.similarity_sum + excluded.similarity_sum,
    similarity_min = least(t.similarity_min, excluded.similarity_min), workflows = t.workflows + excluded.workflows
  $q$;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Recounts the given (pattern, hour) buckets from the raw rows, their days from the hours, the
-- given (pattern, workflow) pairs from the raw rows and the patterns' totals from the days: exact
-- minimums after rows leave a bucket.
CREATE OR REPLACE FUNCTION pattern_ledger_recount_occurrences(pattern_ids integer[], hours timestamp[], workflow_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_patterns(7401, pattern_ids);
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p, h FROM unnest($1, $2) AS k(p, h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.p, k.h, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, count(similarity_score)::int AS scored,
        coalesce(sum(pattern_ledger_ratio(similarity_score)), 0) AS sim_sum, min(pattern_ledger_ratio(similarity_score)) AS sim_min
      FROM pattern_occurrences o WHERE o.pattern_id = k.p AND o.detected_at >= k.h AND o.detected_at < k.h + interval '1 hour') a
  ), gone AS (
    DELETE FROM occurrence_rollup_hourly r USING fresh f WHERE f.n = 0 AND r.pattern_id = f.p AND r.bucket = f.h
  )
  INSERT INTO occurrence_rollup_hourly AS r (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT p, h, n, scored, sim_sum, sim_min FROM fresh WHERE n > 0
  ON CONFLICT (pattern_id, bucket) DO UPDATE SET occurrences = excluded.occurrences, scored = excluded.scored,
    similarity_sum = excluded.similarity_sum, similarity_min = excluded.similarity_min
  $q$ USING pattern_ids, hours, workflow_ids;
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p, date_trunc('day', h) AS d FROM unnest($1, $2) AS k(p, h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.p, k.d, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT coalesce(sum(occurrences), 0)::int AS n, coalesce(sum(scored), 0)::int AS scored,
        coalesce(sum(similarity_sum), 0) AS sim_sum, min(similarity_min) AS sim_min
      FROM occurrence_rollup_hourly r WHERE r.pattern_id = k.p AND r.bucket >= k.d AND r.bucket < k.d + interval '1 day') a
  ), gone AS (
    DELETE FROM occurrence_rollup_daily r USING fresh f WHERE f.n = 0 AND r.pattern_id = f.p AND r.bucket = f.d
  )
  INSERT INTO occurrence_rollup_daily AS r (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT p, d, n, scored, sim_sum, sim_min FROM fresh WHERE n > 0
  ON CONFLICT (pattern_id, bucket) DO UPDATE SET occurrences = excluded.occurrences, scored = excluded.scored,
    similarity_sum = excluded.similarity_sum, similarity_min = excluded.similarity_min
  $q$ USING pattern_ids, hours, workflow_ids;
  -- Over every pattern: the sum of the recounted buckets' patterns.
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT date_trunc('hour', h) AS b FROM unnest($2) AS k(h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.b, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT coalesce(sum(occurrences), 0)::int AS n, coalesce(sum(scored), 0)::int AS scored,
        coalesce(sum(similarity_sum), 0) AS sim_sum, min(similarity_min) AS sim_min
      FROM occurrence_rollup_hourly r WHERE r.bucket = k.b) a
  ), gone AS (
    DELETE FROM occurrence_all_rollup_hourly r USING fresh f WHERE f.n = 0 AND r.bucket = f.b
  )
  INSERT INTO occurrence_all_rollup_hourly AS r (bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT b, n, scored, sim_sum, sim_min FROM fresh WHERE n > 0
  ON CONFLICT (bucket) DO UPDATE SET occurrences = excluded.occurrences, scored = excluded.scored,
    similarity_sum = excluded.similarity_sum, similarity_min = excluded.similarity_min
  $q$ USING pattern_ids, hours, workflow_ids;
  -- Over every pattern: the sum of the recounted buckets' patterns.
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT date_trunc('day', h) AS b FROM unnest($2) AS k(h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.b, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT coalesce(sum(occurrences), 0)::int AS n, coalesce(sum(scored), 0)::int AS scored,
        coalesce(sum(similarity_sum), 0) AS sim_sum, min(similarity_min) AS sim_min
      FROM occurrence_rollup_daily r WHERE r.bucket = k.b) a
  ), gone AS (
    DELETE FROM occurrence_all_rollup_daily r USING fresh f WHERE f.n = 0 AND r.bucket = f.b
  )
  INSERT INTO occurrence_all_rollup_daily AS r (bucket, occurrences, scored, similarity_sum, similarity_min)
    SELECT b, n, scored, sim_sum, sim_min FROM fresh WHERE n > 0
  ON CONFLICT (bucket) DO UPDATE SET occurrences = excluded.occurrences, scored = excluded.scored,
    similarity_sum = excluded.similarity_sum, similarity_min = excluded.similarity_min
  $q$ USING pattern_ids, hours, workflow_ids;
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p, w FROM unnest($1, $3) AS k(p, w)
  ), fresh AS (
    SELECT k.p, k.w, (SELECT count(*)::int FROM pattern_occurrences o WHERE o.pattern_id = k.p AND o.workflow_id = k.w) AS n
    FROM keys k
  ), gone AS (
    DELETE FROM pattern_workflow_rollup r USING fresh f WHERE f.n = 0 AND r.pattern_id = f.p AND r.workflow_id = f.w
  )
  INSERT INTO pattern_workflow_rollup AS r (pattern_id, workflow_id, occurrences)
    SELECT p, w, n FROM fresh WHERE n > 0
  ON CONFLICT (pattern_id, workflow_id) DO UPDATE SET occurrences = excluded.occurrences
  $q$ USING pattern_ids, hours, workflow_ids;
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p FROM unnest($1) AS k(p)
  ), fresh AS (
    SELECT k.p, d.n + u.n AS n, u.n AS undated, d.scored + u.scored AS scored, d.sim_sum + u.sim_sum AS sim_sum,
      least(d.sim_min, u.sim_min) AS sim_min,
      (SELECT count(*)::int FROM pattern_workflow_rollup w WHERE w.pattern_id = k.p) AS workflows
    FROM keys k
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(occurrences), 0)::int AS n, coalesce(sum(scored), 0)::int AS scored,
        coalesce(sum(similarity_sum), 0) AS sim_sum, min(similarity_min) AS sim_min
      FROM occurrence_rollup_daily r WHERE r.pattern_id = k.p) d
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, count(similarity_score)::int AS scored,
        coalesce(sum(pattern_ledger_ratio(similarity_score)), 0) AS sim_sum, min(pattern_ledger_ratio(similarity_score)) AS sim_min
      FROM pattern_occurrences o WHERE o.pattern_id = k.p AND o.detected_at IS NULL) u
  ), gone AS (
    DELETE FROM occurrence_rollup_total r USING fresh f WHERE f.n = 0 AND r.pattern_id = f.p
  )
  INSERT INTO occurrence_rollup_total AS r (pattern_id, occurrences, undated, scored, similarity_sum, similarity_min, workflows)
    SELECT p, n, undated, scored, sim_sum, sim_min, workflows FROM fresh WHERE n > 0
  ON CONFLICT (pattern_id) DO UPDATE SET occurrences = excluded.occurrences, undated = excluded.undated,
    scored = excluded.scored, similarity_sum = excluded.similarity_sum, similarity_min = excluded.similarity_min,
    workflows = excluded.workflows
  $q$ USING pattern_ids, hours, workflow_ids;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recount_occurrences(array_agg(pattern_id), array_agg(date_trunc('hour', detected_at)), array_agg(workflow_id)),
      pattern_ledger_recount_workflows(array_agg(workflow_id)), pattern_ledger_recheck_occurrences(array_agg(id))
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
  PERFORM pattern_ledger_recheck_occurrences(array_agg(o.id))
    FROM old_rows o JOIN new_rows n USING (id)
    WHERE (o.matched_characteristics, o.similarity_score) IS DISTINCT FROM (n.matched_characteristics, n.similarity_score)
    HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_occurrences_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE occurrence_rollup_hourly, occurrence_rollup_daily, occurrence_rollup_total, pattern_workflow_rollup,
    occurrence_all_rollup_hourly, occurrence_all_rollup_daily;
  DELETE FROM data_quality_defect WHERE check_id IN ('invalid-json', 'implausible:pattern_occurrences.similarity_score');
  -- Workflows keep their savings.
  PERFORM pattern_ledger_recount_workflows(array_agg(workflow_id)) FROM workflow_rollup;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pattern_ledger_occurrences_inserted AFTER INSERT ON pattern_occurrences
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_occurrences_inserted();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_occurrences_updated AFTER UPDATE ON pattern_occurrences
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_occurrences_updated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_occurrences_deleted AFTER DELETE ON pattern_occurrences
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_occurrences_deleted();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_occurrences_truncated AFTER TRUNCATE ON pattern_occurrences
  FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_occurrences_truncated();--> statement-breakpoint
-- New savings entries are added to their rollups.
CREATE OR REPLACE FUNCTION pattern_ledger_savings_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_patterns(7402, array_agg(pattern_id)) FROM new_rows;
  PERFORM pattern_ledger_lock_workflows(array_agg(workflow_id)) FROM new_rows;
  EXECUTE $q$
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT unnest(pattern_ledger_savings_defects(tokens_saved::bigint, baseline_tokens::bigint, actual_tokens::bigint, cost_saved_usd::float8)), id
    FROM new_rows
  ON CONFLICT DO NOTHING
  $q$;
  EXECUTE $q$
  INSERT INTO savings_rollup_hourly AS r (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT date_trunc('hour', saved_at), optimization_type, pattern_id, count(*), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (bucket, optimization_type, pattern_id) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens
  $q$;
  EXECUTE $q$
  INSERT INTO savings_rollup_daily AS r (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT date_trunc('day', saved_at), optimization_type, pattern_id, count(*), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (bucket, optimization_type, pattern_id) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens
  $q$;
  EXECUTE $q$
  INSERT INTO savings_type_rollup_hourly AS r (bucket, optimization_type, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT date_trunc('hour', saved_at), optimization_type, count(*), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows WHERE saved_at IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (bucket, optimization_type) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens
  $q$;
  EXECUTE $q$
  INSERT INTO savings_type_rollup_daily AS r (bucket, optimization_type, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT date_trunc('day', saved_at), optimization_type, count(*), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows WHERE saved_at IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (bucket, optimization_type) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens
  $q$;
  EXECUTE $q$
  INSERT INTO savings_rollup_total AS r (optimization_type, pattern_id, entries, undated, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT optimization_type, pattern_id, count(*), count(*) FILTER (WHERE saved_at IS NULL), coalesce(sum(tokens_saved), 0),
      coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
    FROM new_rows GROUP BY 1, 2
  ON CONFLICT (optimization_type, pattern_id) DO UPDATE SET entries = r.entries + excluded.entries,
    undated = r.undated + excluded.undated,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    baseline_tokens = r.baseline_tokens + excluded.baseline_tokens, actual_tokens = r.actual_tokens + excluded.actual_tokens
  $q$;
  EXECUTE $q$
  INSERT INTO workflow_rollup AS r (workflow_id, occurrences, patterns, entries, tokens_saved, cost_saved_usd, first_saved, last_saved, undated)
    SELECT workflow_id, 0, 0, count(*), coalesce(sum(tokens_saved), 0), coalesce(sum(cost_saved_usd::float8), 0),
      min(saved_at), max(saved_at), count(*) FILTER (WHERE saved_at IS NULL)
    FROM new_rows GROUP BY 1
  ON CONFLICT (workflow_id) DO UPDATE SET entries = r.entries + excluded.entries,
    tokens_saved = r.tokens_saved + excluded.tokens_saved, cost_saved_usd = r.cost_saved_usd + excluded.cost_saved_usd,
    first_saved = least(r.first_saved, excluded.first_saved), last_saved = greatest(r.last_saved, excluded.last_saved),
    undated = r.undated + excluded.undated
  $q$;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Recounts the given (pattern, type, hour) buckets from the raw rows, their days from the hours and
-- the (pattern, type) totals from the days.
CREATE OR REPLACE FUNCTION pattern_ledger_recount_savings(pattern_ids integer[], types text[], hours timestamp[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_patterns(7402, pattern_ids);
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p, t, h FROM unnest($1, $2, $3) AS k(p, t, h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.p, k.t, k.h, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd::float8), 0) AS usd,
        coalesce(sum(baseline_tokens), 0) AS baseline, coalesce(sum(actual_tokens), 0) AS actual
      FROM cost_savings_log s WHERE s.saved_at >= k.h AND s.saved_at < k.h + interval '1 hour'
        AND s.optimization_type = k.t AND s.pattern_id IS NOT DISTINCT FROM k.p) a
  ), gone AS (
    DELETE FROM savings_rollup_hourly r USING fresh f
    WHERE f.n = 0 AND r.bucket = f.h AND r.optimization_type = f.t AND r.pattern_id IS NOT DISTINCT FROM f.p
  )
  INSERT INTO savings_rollup_hourly AS r (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT h, t, p, n, tokens, usd, baseline, actual FROM fresh WHERE n > 0
  ON CONFLICT (bucket, optimization_type, pattern_id) DO UPDATE SET entries = excluded.entries, tokens_saved = excluded.tokens_saved,
    cost_saved_usd = excluded.cost_saved_usd, baseline_tokens = excluded.baseline_tokens, actual_tokens = excluded.actual_tokens
  $q$ USING pattern_ids, types, hours;
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p, t, date_trunc('day', h) AS d FROM unnest($1, $2, $3) AS k(p, t, h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.p, k.t, k.d, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT coalesce(sum(entries), 0)::int AS n, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd), 0) AS usd,
        coalesce(sum(baseline_tokens), 0) AS baseline, coalesce(sum(actual_tokens), 0) AS actual
      FROM savings_rollup_hourly r WHERE r.bucket >= k.d AND r.bucket < k.d + interval '1 day'
        AND r.optimization_type = k.t AND r.pattern_id IS NOT DISTINCT FROM k.p) a
  ), gone AS (
    DELETE FROM savings_rollup_daily r USING fresh f
    WHERE f.n = 0 AND r.bucket = f.d AND r.optimization_type = f.t AND r.pattern_id IS NOT DISTINCT FROM f.p
  )
  INSERT INTO savings_rollup_daily AS r (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT d, t, p, n, tokens, usd, baseline, actual FROM fresh WHERE n > 0
  ON CONFLICT (bucket, optimization_type, pattern_id) DO UPDATE SET entries = excluded.entries, tokens_saved = excluded.tokens_saved,
    cost_saved_usd = excluded.cost_saved_usd, baseline_tokens = excluded.baseline_tokens, actual_tokens = excluded.actual_tokens
  $q$ USING pattern_ids, types, hours;
  -- Per type: the sum over the patterns of the recounted buckets.
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT t, date_trunc('hour', h) AS b FROM unnest($2, $3) AS k(t, h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.t, k.b, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT coalesce(sum(entries), 0)::int AS n, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd), 0) AS usd,
        coalesce(sum(baseline_tokens), 0) AS baseline, coalesce(sum(actual_tokens), 0) AS actual
      FROM savings_rollup_hourly r WHERE r.bucket = k.b AND r.optimization_type = k.t) a
  ), gone AS (
    DELETE FROM savings_type_rollup_hourly r USING fresh f WHERE f.n = 0 AND r.bucket = f.b AND r.optimization_type = f.t
  )
  INSERT INTO savings_type_rollup_hourly AS r (bucket, optimization_type, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT b, t, n, tokens, usd, baseline, actual FROM fresh WHERE n > 0
  ON CONFLICT (bucket, optimization_type) DO UPDATE SET entries = excluded.entries, tokens_saved = excluded.tokens_saved,
    cost_saved_usd = excluded.cost_saved_usd, baseline_tokens = excluded.baseline_tokens, actual_tokens = excluded.actual_tokens
  $q$ USING pattern_ids, types, hours;
  -- Per type: the sum over the patterns of the recounted buckets.
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT t, date_trunc('day', h) AS b FROM unnest($2, $3) AS k(t, h) WHERE h IS NOT NULL
  ), fresh AS (
    SELECT k.t, k.b, a.* FROM keys k CROSS JOIN LATERAL (
      SELECT coalesce(sum(entries), 0)::int AS n, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd), 0) AS usd,
        coalesce(sum(baseline_tokens), 0) AS baseline, coalesce(sum(actual_tokens), 0) AS actual
      FROM savings_rollup_daily r WHERE r.bucket = k.b AND r.optimization_type = k.t) a
  ), gone AS (
    DELETE FROM savings_type_rollup_daily r USING fresh f WHERE f.n = 0 AND r.bucket = f.b AND r.optimization_type = f.t
  )
  INSERT INTO savings_type_rollup_daily AS r (bucket, optimization_type, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT b, t, n, tokens, usd, baseline, actual FROM fresh WHERE n > 0
  ON CONFLICT (bucket, optimization_type) DO UPDATE SET entries = excluded.entries, tokens_saved = excluded.tokens_saved,
    cost_saved_usd = excluded.cost_saved_usd, baseline_tokens = excluded.baseline_tokens, actual_tokens = excluded.actual_tokens
  $q$ USING pattern_ids, types, hours;
  EXECUTE $q$
  WITH keys AS (
    SELECT DISTINCT p, t FROM unnest($1, $2) AS k(p, t)
  ), fresh AS (
    SELECT k.p, k.t, d.n + u.n AS n, u.n AS undated, d.tokens + u.tokens AS tokens, d.usd + u.usd AS usd,
      d.baseline + u.baseline AS baseline, d.actual + u.actual AS actual
    FROM keys k
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(entries), 0)::int AS n, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd), 0) AS usd,
        coalesce(sum(baseline_tokens), 0) AS baseline, coalesce(sum(actual_tokens), 0) AS actual
      FROM savings_rollup_daily r WHERE r.optimization_type = k.t AND r.pattern_id IS NOT DISTINCT FROM k.p) d
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, coalesce(sum(tokens_saved), 0) AS tokens, coalesce(sum(cost_saved_usd::float8), 0) AS usd,
        coalesce(sum(baseline_tokens), 0) AS baseline, coalesce(sum(actual_tokens), 0) AS actual
      FROM cost_savings_log s WHERE s.saved_at IS NULL AND s.optimization_type = k.t AND s.pattern_id IS NOT DISTINCT FROM k.p) u
  ), gone AS (
    DELETE FROM savings_rollup_total r USING fresh f
    WHERE f.n = 0 AND r.optimization_type = f.t AND r.pattern_id IS NOT DISTINCT FROM f.p
  )
  INSERT INTO savings_rollup_total AS r (optimization_type, pattern_id, entries, undated, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
    SELECT t, p, n, undated, tokens, usd, baseline, actual FROM fresh WHERE n > 0
  ON CONFLICT (optimization_type, pattern_id) DO UPDATE SET entries = excluded.entries, undated = excluded.undated,
    tokens_saved = excluded.tokens_saved, cost_saved_usd = excluded.cost_saved_usd,
    baseline_tokens = excluded.baseline_tokens, actual_tokens = excluded.actual_tokens
  $q$ USING pattern_ids, types, hours;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recount_savings(array_agg(pattern_id), array_agg(optimization_type), array_agg(date_trunc('hour', saved_at))),
      pattern_ledger_recount_workflows(array_agg(workflow_id)), pattern_ledger_recheck_savings(array_agg(id))
    FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Only changes to counted columns recount (editing notes does not).
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
  PERFORM pattern_ledger_recheck_savings(array_agg(o.id))
    FROM old_rows o JOIN new_rows n USING (id)
    WHERE (o.tokens_saved, o.cost_saved_usd, o.baseline_tokens, o.actual_tokens)
      IS DISTINCT FROM (n.tokens_saved, n.cost_saved_usd, n.baseline_tokens, n.actual_tokens)
    HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_savings_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE savings_rollup_hourly, savings_rollup_daily, savings_rollup_total, savings_type_rollup_hourly, savings_type_rollup_daily;
  DELETE FROM data_quality_defect WHERE check_id = 'tokens-mismatch' OR check_id LIKE 'implausible:cost_savings_log.%';
  PERFORM pattern_ledger_recount_workflows(array_agg(workflow_id)) FROM workflow_rollup;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pattern_ledger_savings_inserted AFTER INSERT ON cost_savings_log
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_savings_inserted();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_savings_updated AFTER UPDATE ON cost_savings_log
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_savings_updated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_savings_deleted AFTER DELETE ON cost_savings_log
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_savings_deleted();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_savings_truncated AFTER TRUNCATE ON cost_savings_log
  FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_savings_truncated();--> statement-breakpoint
-- Rows already in the tables: the same figures, computed once.
INSERT INTO occurrence_rollup_hourly (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
  SELECT pattern_id, date_trunc('hour', detected_at), count(*), count(similarity_score),
    coalesce(sum(pattern_ledger_ratio(similarity_score)), 0), min(pattern_ledger_ratio(similarity_score))
  FROM pattern_occurrences WHERE detected_at IS NOT NULL GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO occurrence_rollup_daily (pattern_id, bucket, occurrences, scored, similarity_sum, similarity_min)
  SELECT pattern_id, date_trunc('day', bucket), sum(occurrences), sum(scored), sum(similarity_sum), min(similarity_min)
  FROM occurrence_rollup_hourly GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO occurrence_all_rollup_hourly (bucket, occurrences, scored, similarity_sum, similarity_min)
  SELECT bucket, sum(occurrences), sum(scored), sum(similarity_sum), min(similarity_min)
  FROM occurrence_rollup_hourly GROUP BY 1;--> statement-breakpoint
INSERT INTO occurrence_all_rollup_daily (bucket, occurrences, scored, similarity_sum, similarity_min)
  SELECT bucket, sum(occurrences), sum(scored), sum(similarity_sum), min(similarity_min)
  FROM occurrence_rollup_daily GROUP BY 1;--> statement-breakpoint
INSERT INTO pattern_workflow_rollup (pattern_id, workflow_id, occurrences)
  SELECT pattern_id, workflow_id, count(*) FROM pattern_occurrences GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO occurrence_rollup_total (pattern_id, occurrences, undated, scored, similarity_sum, similarity_min, workflows)
  SELECT o.pattern_id, o.n, o.undated, o.scored, o.sim_sum, o.sim_min, coalesce(w.n, 0)
  FROM (SELECT pattern_id, count(*) AS n, count(*) FILTER (WHERE detected_at IS NULL) AS undated, count(similarity_score) AS scored,
          coalesce(sum(pattern_ledger_ratio(similarity_score)), 0) AS sim_sum, min(pattern_ledger_ratio(similarity_score)) AS sim_min
        FROM pattern_occurrences GROUP BY 1) o
  LEFT JOIN (SELECT pattern_id, count(*) AS n FROM pattern_workflow_rollup GROUP BY 1) w USING (pattern_id);--> statement-breakpoint
INSERT INTO savings_rollup_hourly (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
  SELECT date_trunc('hour', saved_at), optimization_type, pattern_id, count(*), coalesce(sum(tokens_saved), 0),
    coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
  FROM cost_savings_log WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO savings_rollup_daily (bucket, optimization_type, pattern_id, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
  SELECT date_trunc('day', bucket), optimization_type, pattern_id, sum(entries), sum(tokens_saved), sum(cost_saved_usd),
    sum(baseline_tokens), sum(actual_tokens)
  FROM savings_rollup_hourly GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO savings_type_rollup_hourly (bucket, optimization_type, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
  SELECT bucket, optimization_type, sum(entries), sum(tokens_saved), sum(cost_saved_usd), sum(baseline_tokens), sum(actual_tokens)
  FROM savings_rollup_hourly GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO savings_type_rollup_daily (bucket, optimization_type, entries, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
  SELECT bucket, optimization_type, sum(entries), sum(tokens_saved), sum(cost_saved_usd), sum(baseline_tokens), sum(actual_tokens)
  FROM savings_rollup_daily GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO savings_rollup_total (optimization_type, pattern_id, entries, undated, tokens_saved, cost_saved_usd, baseline_tokens, actual_tokens)
  SELECT optimization_type, pattern_id, count(*), count(*) FILTER (WHERE saved_at IS NULL), coalesce(sum(tokens_saved), 0),
    coalesce(sum(cost_saved_usd::float8), 0), coalesce(sum(baseline_tokens), 0), coalesce(sum(actual_tokens), 0)
  FROM cost_savings_log GROUP BY 1, 2;--> statement-breakpoint
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
    FROM cost_savings_log GROUP BY 1) s USING (workflow_id);--> statement-breakpoint
INSERT INTO data_quality_defect (check_id, row_id)
  SELECT unnest(pattern_ledger_occurrence_defects(matched_characteristics::text, similarity_score::float8)), id FROM pattern_occurrences;--> statement-breakpoint
INSERT INTO data_quality_defect (check_id, row_id)
  SELECT unnest(pattern_ledger_savings_defects(tokens_saved::bigint, baseline_tokens::bigint, actual_tokens::bigint, cost_saved_usd::float8)), id
  FROM cost_savings_log;
