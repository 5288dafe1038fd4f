ALTER TABLE "workflow_rollup" ADD COLUMN "has_history" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Whether workflow_history has a row for a workflow id (by adw_id or by the wf-… workflow_id).
CREATE OR REPLACE FUNCTION pattern_ledger_has_history(workflow text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM workflow_history wh WHERE wh.adw_id::text = $1)
    OR EXISTS (SELECT 1 FROM workflow_history wh WHERE wh.workflow_id::text = $1)
$$;--> statement-breakpoint
-- A workflow's rollup row is born knowing (the writers hold the workflow's lock slot by then).
CREATE OR REPLACE FUNCTION pattern_ledger_workflow_rollup_born() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.has_history := pattern_ledger_has_history(NEW.workflow_id);
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pattern_ledger_workflow_rollup_born BEFORE INSERT ON workflow_rollup
  FOR EACH ROW EXECUTE FUNCTION pattern_ledger_workflow_rollup_born();--> statement-breakpoint
-- workflow_history rows came, went or changed ids: re-check the workflows named, under the same
-- workflow lock slots as the rollup writers, so a history row and a workflow's first occurrence
-- written at once by two transactions are checked one after the other.
CREATE OR REPLACE FUNCTION pattern_ledger_history_changed(ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_lock_workflows(ids);
  UPDATE workflow_rollup r SET has_history = h.has
    FROM (SELECT w, pattern_ledger_has_history(w) AS has FROM (SELECT DISTINCT w FROM unnest(ids) w WHERE w IS NOT NULL) k) h
    WHERE r.workflow_id = h.w AND r.has_history IS DISTINCT FROM h.has;
END;
$$;--> statement-breakpoint
-- workflow_history rows added (INSERT) or removed (DELETE): changed_rows.
CREATE OR REPLACE FUNCTION pattern_ledger_history_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pattern_ledger_history_changed(array_agg(adw_id::text) || array_agg(workflow_id::text)) FROM changed_rows HAVING count(*) > 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_history_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Most updates change a run's status or tokens, not its ids: those re-check nothing.
  IF EXISTS (SELECT adw_id, workflow_id FROM old_rows EXCEPT ALL SELECT adw_id, workflow_id FROM new_rows)
      OR EXISTS (SELECT adw_id, workflow_id FROM new_rows EXCEPT ALL SELECT adw_id, workflow_id FROM old_rows) THEN
    PERFORM pattern_ledger_history_changed(array_agg(k.id))
      FROM (SELECT adw_id::text AS id FROM old_rows UNION SELECT workflow_id::text FROM old_rows
        UNION SELECT adw_id::text FROM new_rows UNION SELECT workflow_id::text FROM new_rows) k;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pattern_ledger_history_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE workflow_rollup SET has_history = false WHERE has_history;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pattern_ledger_history_inserted AFTER INSERT ON workflow_history
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_history_rows_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_history_updated AFTER UPDATE ON workflow_history
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_history_updated();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_history_deleted AFTER DELETE ON workflow_history
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_history_rows_changed();--> statement-breakpoint
CREATE TRIGGER pattern_ledger_history_truncated AFTER TRUNCATE ON workflow_history
  FOR EACH STATEMENT EXECUTE FUNCTION pattern_ledger_history_truncated();--> statement-breakpoint
UPDATE workflow_rollup SET has_history = true WHERE pattern_ledger_has_history(workflow_id);
