CREATE TABLE "cost_savings_note_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"savings_id" integer NOT NULL,
	"previous_notes" text,
	"new_notes" text,
	"changed_at" timestamp DEFAULT now() NOT NULL,
	"changed_by" text
);
--> statement-breakpoint
CREATE INDEX "idx_cost_savings_note_history_savings" ON "cost_savings_note_history" USING btree ("savings_id","changed_at");