DROP INDEX "pattern_ledger"."idx_workflow_rollup_last_at";--> statement-breakpoint
CREATE INDEX "idx_workflow_rollup_recent" ON "pattern_ledger"."workflow_rollup" USING btree ("last_at" DESC NULLS LAST,"workflow_id","first_at","undated");--> statement-breakpoint
CREATE INDEX "idx_workflow_rollup_first_at" ON "pattern_ledger"."workflow_rollup" USING btree ("first_at","last_at","undated","workflow_id");--> statement-breakpoint
CREATE INDEX "idx_workflow_rollup_usd" ON "pattern_ledger"."workflow_rollup" USING btree ("cost_saved_usd" DESC NULLS LAST,"workflow_id");