CREATE TABLE "pattern_ledger"."capture_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"event_key" text NOT NULL,
	"session_id" text,
	"workflow_id" text,
	"event_type" text NOT NULL,
	"tool_name" text,
	"operation" text,
	"cwd" text,
	"success" boolean,
	"duration_ms" double precision,
	"model" text,
	"input_tokens" bigint,
	"output_tokens" bigint,
	"cost_usd" double precision,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"details" jsonb,
	"derived" boolean DEFAULT false NOT NULL,
	CONSTRAINT "capture_event_key" UNIQUE("event_key")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."capture_occurrence" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workflow_key" text NOT NULL,
	"signature" text NOT NULL,
	"pattern_id" bigint,
	"occurrence_id" bigint,
	"rule_id" bigint NOT NULL,
	"rule_version" integer NOT NULL,
	"event_id" bigint NOT NULL,
	"source" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"derived_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "capture_occurrence_once" UNIQUE("workflow_key","signature")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."capture_pattern" (
	"pattern_id" bigint PRIMARY KEY NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."capture_rule" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"tool_name" text DEFAULT 'Bash' NOT NULL,
	"match" text NOT NULL,
	"signature" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "capture_rule_name" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."capture_rule_version" (
	"rule_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"tool_name" text NOT NULL,
	"match" text NOT NULL,
	"signature" text NOT NULL,
	"enabled" boolean NOT NULL,
	"saved_by" text,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "capture_rule_version_rule_id_version_pk" PRIMARY KEY("rule_id","version")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."capture_saving" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_key" text NOT NULL,
	"event_id" bigint NOT NULL,
	"pattern_id" bigint NOT NULL,
	"session_id" text,
	"operation_digest" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"savings_id" bigint,
	"measured" boolean NOT NULL,
	"derived_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "capture_saving_once" UNIQUE("run_key")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."capture_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"hook_events_enabled" boolean DEFAULT true NOT NULL,
	"hook_events_cursor" bigint DEFAULT 0 NOT NULL,
	"task_logs_enabled" boolean DEFAULT true NOT NULL,
	"task_logs_cursor" bigint DEFAULT 0 NOT NULL,
	"defaults_version" integer DEFAULT 0 NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."model_price" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model_prefix" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"input_usd_per_mtok" double precision NOT NULL,
	"output_usd_per_mtok" double precision NOT NULL,
	"note" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_price_from" UNIQUE("model_prefix","effective_from")
);
--> statement-breakpoint
ALTER TABLE "pattern_ledger"."api_key" DROP CONSTRAINT "api_key_scope_check";--> statement-breakpoint
ALTER TABLE "pattern_ledger"."capture_rule_version" ADD CONSTRAINT "capture_rule_version_rule_id_capture_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "pattern_ledger"."capture_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_capture_event_pending" ON "pattern_ledger"."capture_event" USING btree ("id") WHERE NOT "pattern_ledger"."capture_event"."derived";--> statement-breakpoint
CREATE INDEX "idx_capture_event_time" ON "pattern_ledger"."capture_event" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "idx_capture_event_session" ON "pattern_ledger"."capture_event" USING btree ("session_id","occurred_at");--> statement-breakpoint
CREATE INDEX "idx_capture_event_source" ON "pattern_ledger"."capture_event" USING btree ("source","occurred_at");--> statement-breakpoint
CREATE INDEX "idx_capture_occurrence_rule" ON "pattern_ledger"."capture_occurrence" USING btree ("rule_id");--> statement-breakpoint
CREATE INDEX "idx_capture_saving_pattern" ON "pattern_ledger"."capture_saving" USING btree ("pattern_id");--> statement-breakpoint
CREATE INDEX "idx_capture_saving_run" ON "pattern_ledger"."capture_saving" USING btree ("session_id","operation_digest","occurred_at");--> statement-breakpoint
ALTER TABLE "pattern_ledger"."api_key" ADD CONSTRAINT "api_key_scope_check" CHECK ("pattern_ledger"."api_key"."scope" IN ('read', 'write', 'capture'));--> statement-breakpoint
INSERT INTO "pattern_ledger"."capture_state" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
-- backend, frontend or null (the rule's default) for an operation and the folder it ran in.
CREATE OR REPLACE FUNCTION "pattern_ledger"."capture_scope"(operation text, cwd text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN coalesce(operation, '') ~* '(^|[\s/"''=])(backend|server|api)([\s/"'':.]|$)' THEN 'backend'
    WHEN coalesce(operation, '') ~* '(^|[\s/"''=])(frontend|client|web|ui)([\s/"'':.]|$)' THEN 'frontend'
    WHEN coalesce(cwd, '') ~* '/(backend|server|api)(/|$)' THEN 'backend'
    WHEN coalesce(cwd, '') ~* '/(frontend|client|web|ui)(/|$)' THEN 'frontend'
  END
$$;--> statement-breakpoint
-- A rule's signature for one operation: {scope} (or {scope:default}) and {1}, {2} (the match's
-- groups, kept to letters, digits and . _ -), in lower case.
CREATE OR REPLACE FUNCTION "pattern_ledger"."capture_signature"(template text, match text, operation text, cwd text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(replace(replace(regexp_replace(template, '\{scope(:[a-z]+)?\}',
      coalesce("pattern_ledger"."capture_scope"(operation, cwd),
        substring(template from '\{scope:([a-z]+)\}'), 'all'), 'g'),
    '{1}', regexp_replace(lower(coalesce(m[1], '')), '[^a-z0-9_.-]', '', 'g')),
    '{2}', regexp_replace(lower(coalesce(m[2], '')), '[^a-z0-9_.-]', '', 'g')))
  FROM (SELECT regexp_match(operation, match, 'i') AS m) groups
$$;
--> statement-breakpoint
-- A text that may not be JSON, as JSONB, or NULL when it is not (capture reads hook_events.payload).
CREATE OR REPLACE FUNCTION "pattern_ledger"."try_jsonb"(value text) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE AS $$
BEGIN
  RETURN value::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "pattern_ledger"."try_jsonb"(value json) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT value::jsonb $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "pattern_ledger"."try_jsonb"(value jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT value $$;--> statement-breakpoint
-- A time written as text (task_logs' tool calls), or NULL when it is none or implausible.
CREATE OR REPLACE FUNCTION "pattern_ledger"."try_timestamptz"(value text) RETURNS timestamptz
  LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$
DECLARE
  at timestamptz;
BEGIN
  at := value::timestamptz;
  RETURN CASE WHEN at BETWEEN '1990-01-01' AND now() + interval '1 day' THEN at END;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- The key of a tool use named by Claude Code's tool_use_id, as lib/capture/event.ts computes it.
CREATE OR REPLACE FUNCTION "pattern_ledger"."tool_use_key"(session_id text, tool_use_id text, phase text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 'tu:' || left(translate(encode(sha256(convert_to(session_id || '|' || tool_use_id, 'UTF8')), 'base64'), '+/=', '-_'), 32) || ':' || phase
$$;
