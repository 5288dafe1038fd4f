CREATE TABLE "pattern_ledger"."alert_channel" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"format" text DEFAULT 'json' NOT NULL,
	"secret" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_channel_kind_check" CHECK ("pattern_ledger"."alert_channel"."kind" IN ('webhook', 'email')),
	CONSTRAINT "alert_channel_format_check" CHECK ("pattern_ledger"."alert_channel"."format" IN ('json', 'slack'))
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."alert_delivery" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel_id" bigint NOT NULL,
	"rule_id" bigint,
	"event_id" bigint,
	"schedule_id" bigint,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "alert_delivery_status_check" CHECK ("pattern_ledger"."alert_delivery"."status" IN ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."alert_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"value" double precision,
	"threshold" double precision,
	"notified" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."alert_rule" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"metric" text NOT NULL,
	"scope_kind" text DEFAULT 'all' NOT NULL,
	"scope_value" text,
	"quality_check" text,
	"window_minutes" integer NOT NULL,
	"compare" text DEFAULT 'value' NOT NULL,
	"direction" text NOT NULL,
	"warning_threshold" double precision,
	"critical_threshold" double precision,
	"every_minutes" integer DEFAULT 1 NOT NULL,
	"muted" boolean DEFAULT false NOT NULL,
	"snoozed_until" timestamp with time zone,
	"state" text DEFAULT 'ok' NOT NULL,
	"notified_state" text DEFAULT 'ok' NOT NULL,
	"last_value" double precision,
	"last_evaluated_at" timestamp with time zone,
	"next_evaluation_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rule_state_check" CHECK ("pattern_ledger"."alert_rule"."state" IN ('ok', 'warning', 'critical')),
	CONSTRAINT "alert_rule_notified_check" CHECK ("pattern_ledger"."alert_rule"."notified_state" IN ('ok', 'warning', 'critical'))
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."alert_rule_channel" (
	"rule_id" bigint NOT NULL,
	"channel_id" bigint NOT NULL,
	CONSTRAINT "alert_rule_channel_rule_id_channel_id_pk" PRIMARY KEY("rule_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."report_schedule" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"cadence" text NOT NULL,
	"weekday" integer DEFAULT 1 NOT NULL,
	"hour" integer NOT NULL,
	"tz" text NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedule_cadence_check" CHECK ("pattern_ledger"."report_schedule"."cadence" IN ('daily', 'weekly'))
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."report_schedule_channel" (
	"schedule_id" bigint NOT NULL,
	"channel_id" bigint NOT NULL,
	CONSTRAINT "report_schedule_channel_schedule_id_channel_id_pk" PRIMARY KEY("schedule_id","channel_id")
);
--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_delivery" ADD CONSTRAINT "alert_delivery_channel_id_alert_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "pattern_ledger"."alert_channel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_delivery" ADD CONSTRAINT "alert_delivery_rule_id_alert_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "pattern_ledger"."alert_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_delivery" ADD CONSTRAINT "alert_delivery_event_id_alert_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "pattern_ledger"."alert_event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_delivery" ADD CONSTRAINT "alert_delivery_schedule_id_report_schedule_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "pattern_ledger"."report_schedule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_event" ADD CONSTRAINT "alert_event_rule_id_alert_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "pattern_ledger"."alert_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_rule_channel" ADD CONSTRAINT "alert_rule_channel_rule_id_alert_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "pattern_ledger"."alert_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."alert_rule_channel" ADD CONSTRAINT "alert_rule_channel_channel_id_alert_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "pattern_ledger"."alert_channel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."report_schedule_channel" ADD CONSTRAINT "report_schedule_channel_schedule_id_report_schedule_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "pattern_ledger"."report_schedule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."report_schedule_channel" ADD CONSTRAINT "report_schedule_channel_channel_id_alert_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "pattern_ledger"."alert_channel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_alert_delivery_due" ON "pattern_ledger"."alert_delivery" USING btree ("next_attempt_at") WHERE "pattern_ledger"."alert_delivery"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_alert_delivery_rule" ON "pattern_ledger"."alert_delivery" USING btree ("rule_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_alert_event_rule" ON "pattern_ledger"."alert_event" USING btree ("rule_id","at");--> statement-breakpoint
CREATE INDEX "idx_alert_event_at" ON "pattern_ledger"."alert_event" USING btree ("at");--> statement-breakpoint
CREATE INDEX "idx_alert_rule_due" ON "pattern_ledger"."alert_rule" USING btree ("next_evaluation_at");--> statement-breakpoint
CREATE INDEX "idx_report_schedule_due" ON "pattern_ledger"."report_schedule" USING btree ("next_run_at");