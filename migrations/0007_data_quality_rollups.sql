CREATE TABLE "similarity_scale_rollup" (
	"pattern_id" integer PRIMARY KEY NOT NULL,
	"ratio_rows" integer NOT NULL,
	"percent_rows" integer NOT NULL
);
--> statement-breakpoint
-- Pattern Ledger's own index: savings by tool call id, so that a tool_calls row coming or going
-- finds the entries that name it.
CREATE INDEX IF NOT EXISTS "idx_cost_savings_tool_call" ON "cost_savings_log" USING btree ("tool_call_id") WHERE "tool_call_id" IS NOT NULL;--> statement-breakpoint
-- Similarity scales: rows added count up, rows removed count down, an update does both. Changes
-- are upserted in pattern order, so concurrent statements take their row locks in one order.
CREATE OR REPLACE FUNCTION pattern_ledger_apply_scale(pattern_ids integer[], ratios integer[], percents integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO similarity_scale_rollup AS r (pattern_id, ratio_rows, percent_rows)
    SELECT p, sum(ratio)::int, sum(percent)::int FROM unnest(pattern_ids, ratios, percents) AS d(p, ratio, percent)
    GROUP BY p HAVING sum(ratio) <> 0 OR sum(percent) <> 0 ORDER BY p
  ON CONFLICT (pattern_id) DO UPDATE SET ratio_rows = r.ratio_rows + excluded.ratio_rows,
    percent_rows = r.percent_rows + excluded.percent_rows;
  DELETE FROM similarity_scale_rollup WHERE pattern_id = ANY(pattern_ids) AND ratio_rows = 0 AND percent_rows = 0;
END;
$$;--> statement-breakpoint
-- Rows added (INSERT) count up, rows removed (DELETE) count down; both triggers name their
-- transition table changed_rows.
CREATE OR REPLACE FUNCTION pattern_ledger_scale_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END;
BEGIN
  PERFORM pattern_ledger_apply_scale(array_agg(pattern_id), array_agg(sign * (similarity_score <= 1)::int),
      array_agg(sign * (similarity_score > 1)::int))
    FROM changed_rows WHERE similarity_score > 0 HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_scale_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_apply_scale(array_agg(pattern_id), array_agg(ratio), array_agg(percent))
    FROM (
      SELECT pattern_id, -(similarity_score <= 1)::int AS ratio, -(similarity_score > 1)::int AS percent
        FROM old_rows WHERE similarity_score > 0
      UNION ALL
      SELECT pattern_id, (similarity_score <= 1)::int, (similarity_score > 1)::int
        FROM new_rows WHERE similarity_score > 0) d
    HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_scale_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE similarity_scale_rollup;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pattern_ledger_scale_inserted AFTER INSERT ON pattern_occurrences
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_scale_rows_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_scale_updated AFTER UPDATE ON pattern_occurrences
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_scale_updated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_scale_deleted AFTER DELETE ON pattern_occurrences
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_scale_rows_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_scale_truncated AFTER TRUNCATE ON pattern_occurrences
  FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_scale_truncated();--> statement-breakpoint
-- Savings whose tool call id names no tool_calls row, kept in data_quality_defect from both sides.
-- Both sides lock the tool call ids' slots first (sorted, transaction-long), so an entry and its
-- tool call written at the same time by two transactions are checked one after the other.
CREATE OR REPLACE FUNCTION pattern_ledger_lock_tool_calls(tool_call_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7404, slot)
    FROM (SELECT DISTINCT mod(abs(hashtext(t)::bigint), 128)::int AS slot FROM unnest(tool_call_ids) t WHERE t IS NOT NULL ORDER BY 1) sorted;
END;
$$;--> statement-breakpoint
-- Entries `ids` are re-checked: listed when their tool call id has no tool_calls row.
CREATE OR REPLACE FUNCTION pattern_ledger_recheck_tool_calls(ids integer[], tool_call_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_tool_calls(tool_call_ids);
  DELETE FROM data_quality_defect WHERE check_id = 'savings-without-tool-call' AND row_id = ANY(ids);
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT 'savings-without-tool-call', s.id FROM cost_savings_log s
    WHERE s.id = ANY(ids) AND s.tool_call_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id = s.tool_call_id)
  ON CONFLICT DO NOTHING;
END;
$$;--> statement-breakpoint
-- Entries written (INSERT) or removed (DELETE, whose defects the re-check drops): changed_rows.
CREATE OR REPLACE FUNCTION pattern_ledger_tool_call_entries_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recheck_tool_calls(array_agg(id), array_agg(tool_call_id))
    FROM changed_rows WHERE tool_call_id IS NOT NULL HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_tool_call_entries_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_recheck_tool_calls(array_agg(k.id), array_agg(k.tool_call_id))
    FROM (SELECT id, tool_call_id FROM old_rows UNION ALL SELECT id, tool_call_id FROM new_rows) k
    HAVING count(*) FILTER (WHERE k.tool_call_id IS NOT NULL) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_tool_call_entries_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM data_quality_defect WHERE check_id = 'savings-without-tool-call';
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- tool_calls rows came or went (or changed id): re-check the entries that name the ids involved.
CREATE OR REPLACE FUNCTION pattern_ledger_tool_calls_changed(tool_call_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_tool_calls(tool_call_ids);
  DELETE FROM data_quality_defect d USING cost_savings_log s
    WHERE d.check_id = 'savings-without-tool-call' AND d.row_id = s.id AND s.tool_call_id = ANY(tool_call_ids);
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT 'savings-without-tool-call', s.id FROM cost_savings_log s
    WHERE s.tool_call_id = ANY(tool_call_ids)
      AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id = s.tool_call_id)
  ON CONFLICT DO NOTHING;
END;
$$;--> statement-breakpoint
-- tool_calls rows added (INSERT) or removed (DELETE): changed_rows.
CREATE OR REPLACE FUNCTION pattern_ledger_tool_calls_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_tool_calls_changed(array_agg(tool_call_id)) FROM changed_rows HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_tool_calls_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_tool_calls_changed(array_agg(k.tool_call_id))
    FROM (SELECT tool_call_id FROM old_rows UNION SELECT tool_call_id FROM new_rows) k HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_tool_calls_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_quality_defect (check_id, row_id)
    SELECT 'savings-without-tool-call', id FROM cost_savings_log WHERE tool_call_id IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_call_entries_inserted AFTER INSERT ON cost_savings_log
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_call_entries_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_call_entries_updated AFTER UPDATE ON cost_savings_log
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_call_entries_updated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_call_entries_deleted AFTER DELETE ON cost_savings_log
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_call_entries_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_call_entries_truncated AFTER TRUNCATE ON cost_savings_log
  FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_call_entries_truncated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_calls_inserted AFTER INSERT ON tool_calls
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_calls_rows_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_calls_updated AFTER UPDATE ON tool_calls
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_calls_updated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_calls_deleted AFTER DELETE ON tool_calls
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_calls_rows_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_tool_calls_truncated AFTER TRUNCATE ON tool_calls
  FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_tool_calls_truncated();--> statement-breakpoint
-- What is there already.
INSERT INTO similarity_scale_rollup (pattern_id, ratio_rows, percent_rows)
  SELECT pattern_id, count(*) FILTER (WHERE similarity_score <= 1), count(*) FILTER (WHERE similarity_score > 1)
  FROM pattern_occurrences WHERE similarity_score > 0 GROUP BY 1;--> statement-breakpoint
INSERT INTO data_quality_defect (check_id, row_id)
  SELECT 'savings-without-tool-call', s.id FROM cost_savings_log s
  WHERE s.tool_call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id = s.tool_call_id)
ON CONFLICT DO NOTHING;
