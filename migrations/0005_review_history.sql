CREATE TABLE "pattern_review_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"pattern_id" integer NOT NULL,
	"action" text NOT NULL,
	"previous_status" text,
	"new_status" text,
	"note" text,
	"reviewed_by" text NOT NULL,
	"reviewed_at" timestamp NOT NULL
);
--> statement-breakpoint
CREATE INDEX "idx_pattern_review_history_pattern" ON "pattern_review_history" USING btree ("pattern_id","reviewed_at");--> statement-breakpoint
-- Whether a text holds valid JSON (PostgreSQL 15 has no IS JSON): for the data-quality checks.
CREATE OR REPLACE FUNCTION pattern_ledger_is_json(value text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM value::json;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END;
$$;
