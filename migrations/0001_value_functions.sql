-- How Pattern Ledger reads the agents' values, whatever their column types: one overload per type
-- family, so the same SQL reads REAL, DOUBLE PRECISION and NUMERIC (and TEXT, JSON and JSONB)
-- columns. Non-finite and out-of-range values read as NULL here; the data-quality checks list them.

-- A similarity or confidence as a 0–1 ratio; a value above 1 is a percentage (the real writer
-- stores 100.0). NaN, the infinities and values beyond a million are no score at all (the
-- data-quality page lists them): added to running sums they would swamp every real score.
CREATE FUNCTION pattern_ledger.ratio(score real) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN score = 'NaN' OR abs(score) > 1e6 THEN NULL
    WHEN score > 1 THEN score::float8 / 100 ELSE score::float8 END
$$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.ratio(score double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN score = 'NaN' OR abs(score) > 1e6 THEN NULL
    WHEN score > 1 THEN score / 100 ELSE score END
$$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.ratio(score numeric) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN score = 'NaN' OR abs(score) > 1e6 THEN NULL
    WHEN score > 1 THEN (score / 100)::float8 ELSE score::float8 END
$$;--> statement-breakpoint
-- Money as an exact decimal: NUMERIC as stored; REAL and DOUBLE PRECISION as the shortest decimal
-- that reads back as the stored value (what psql shows: 0.0035, not 0.0035000001080334187).
CREATE FUNCTION pattern_ledger.money(usd real) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN usd = 'NaN' OR abs(usd) = 'Infinity' THEN NULL ELSE usd::text::numeric END
$$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.money(usd double precision) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN usd = 'NaN' OR abs(usd) = 'Infinity' THEN NULL ELSE usd::text::numeric END
$$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.money(usd numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN usd = 'NaN' OR abs(usd) = 'Infinity' THEN NULL ELSE usd END
$$;--> statement-breakpoint
-- NaN and the infinities are not finite (NULL stays NULL).
CREATE FUNCTION pattern_ledger.finite(value real) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT NOT (value = 'NaN' OR abs(value) = 'Infinity') $$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.finite(value double precision) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT NOT (value = 'NaN' OR abs(value) = 'Infinity') $$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.finite(value numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT NOT (value = 'NaN' OR abs(value) = 'Infinity') $$;--> statement-breakpoint
-- Whether a stored JSON text fails to parse (PostgreSQL 15 has no IS JSON); JSON and JSONB
-- columns always parse.
CREATE FUNCTION pattern_ledger.json_invalid(value text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  PERFORM value::json;
  RETURN false;
EXCEPTION WHEN others THEN
  RETURN true;
END;
$$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.json_invalid(value json) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT false $$;--> statement-breakpoint
CREATE FUNCTION pattern_ledger.json_invalid(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT false $$;--> statement-breakpoint
INSERT INTO pattern_ledger.fold_state (id) VALUES (1);
