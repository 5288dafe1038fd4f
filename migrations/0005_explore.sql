CREATE TABLE "pattern_ledger"."characteristic_rollup_hourly" (
	"key" text NOT NULL,
	"bucket" timestamp NOT NULL,
	"value" text NOT NULL,
	"occurrences" integer NOT NULL,
	CONSTRAINT "characteristic_rollup_hourly_key_bucket_value_pk" PRIMARY KEY("key","bucket","value")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."saved_view" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"page" text NOT NULL,
	"params_version" integer NOT NULL,
	"params" jsonb NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_view_owner_name" UNIQUE("owner_id","name")
);
--> statement-breakpoint
CREATE TABLE "pattern_ledger"."saved_view_pin" (
	"user_id" text NOT NULL,
	"view_id" bigint NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "saved_view_pin_user_id_view_id_pk" PRIMARY KEY("user_id","view_id")
);
--> statement-breakpoint
ALTER TABLE "pattern_ledger"."saved_view" ADD CONSTRAINT "saved_view_owner_id_auth_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "pattern_ledger"."auth_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."saved_view_pin" ADD CONSTRAINT "saved_view_pin_user_id_auth_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "pattern_ledger"."auth_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_ledger"."saved_view_pin" ADD CONSTRAINT "saved_view_pin_view_id_saved_view_id_fk" FOREIGN KEY ("view_id") REFERENCES "pattern_ledger"."saved_view"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_characteristic_rollup_hourly_bucket" ON "pattern_ledger"."characteristic_rollup_hourly" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "idx_saved_view_shared" ON "pattern_ledger"."saved_view" USING btree ("shared");--> statement-breakpoint
-- matched_characteristics as a JSON object, or NULL (not an object, or text that is not JSON):
-- TEXT in the seed report's shape, JSONB (or JSON) in the full one.
CREATE FUNCTION pattern_ledger.json_object_of(value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN jsonb_typeof(value) = 'object' THEN value END $$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.json_object_of(value text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE AS $$
BEGIN
  -- Only text that starts as an object pays for the cast (and its subtransaction).
  IF value IS NULL OR value !~ '^\s*\{' THEN
    RETURN NULL;
  END IF;
  RETURN pattern_ledger.json_object_of(value::jsonb);
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.json_object_of(value json) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL UNSAFE AS $$ SELECT pattern_ledger.json_object_of(value::text) $$;--> statement-breakpoint
-- What a breakdown groups by: a string as it is (its first 100 characters), true / false / null,
-- a number in its power-of-ten bin, a list by its length, an object as "object"; NULL for no
-- value. One expression, so that PostgreSQL inlines it (a call per value cost 14 times as much).
CREATE FUNCTION pattern_ledger.characteristic_value(value jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE jsonb_typeof(value)
    WHEN 'string' THEN left(value #>> '{}', 100)
    WHEN 'boolean' THEN value #>> '{}'
    WHEN 'null' THEN 'null'
    WHEN 'number' THEN CASE
      WHEN value::numeric < 0 THEN '< 0'
      WHEN value::numeric = 0 THEN '0'
      WHEN value::numeric < 1 THEN '0–1'
      WHEN value::numeric < 10 THEN '1–9'
      WHEN value::numeric < 100 THEN '10–99'
      WHEN value::numeric < 1000 THEN '100–999'
      WHEN value::numeric < 10000 THEN '1000–9999'
      WHEN value::numeric < 100000 THEN '10000–99999'
      WHEN value::numeric < 1000000 THEN '100000–999999'
      ELSE '1000000 and more' END
    WHEN 'array' THEN CASE
      WHEN jsonb_array_length(value) = 0 THEN 'no items'
      WHEN jsonb_array_length(value) = 1 THEN '1 item'
      WHEN jsonb_array_length(value) < 5 THEN '2–4 items'
      WHEN jsonb_array_length(value) < 10 THEN '5–9 items'
      ELSE '10 items and more' END
    WHEN 'object' THEN 'object'
  END
$$;--> statement-breakpoint
-- The rollup is filled by the next attach's rebuild: a database attached before it has rollups
-- filled once already, and this marks them as needing it again (db/attach/plan.ts).
UPDATE pattern_ledger.fold_state SET rebuilt_at = NULL;
