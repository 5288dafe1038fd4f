import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DemoGenerator, DEMO_DAYS, USD_PER_TOKEN } from '@/db/seed/generate';
import {
  PLANTED_NEGATIVE_SAVINGS,
  PLANTED_PERCENT_SIMILARITY,
  PLANTED_TOKEN_MISMATCH,
  PLANTED_UNKNOWN_STATUSES,
  seedDemoData,
} from '@/db/seed/seed';
import { AUTOMATION_STATUSES, OPTIMIZATION_TYPES } from '@/db/schema';
import { queryRows } from '@/db/sql';
import { describeEachDatabase, TEST_ANCHOR } from './support/databases';

function fingerprint(generator: DemoGenerator): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(generator.patternRows));
  for (const batch of generator.batches()) hash.update(JSON.stringify(batch));
  return hash.digest('hex');
}

describe('demo generator', () => {
  it('yields the same rows for the same seed and anchor, other rows for another seed', () => {
    const a = fingerprint(new DemoGenerator({ anchor: TEST_ANCHOR }));
    const b = fingerprint(new DemoGenerator({ anchor: TEST_ANCHOR }));
    const c = fingerprint(new DemoGenerator({ anchor: TEST_ANCHOR, seed: 7 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('scales workflows, occurrences and savings with --scale', () => {
    const count = (scale: number) => {
      let occurrences = 0;
      for (const batch of new DemoGenerator({ anchor: TEST_ANCHOR, scale }).batches())
        occurrences += batch.occurrences.length;
      return occurrences;
    };
    const one = count(1);
    expect(count(2) / one).toBeGreaterThan(1.9);
    expect(count(2) / one).toBeLessThan(2.1);
  });
});

describeEachDatabase('demo data', { seed: true }, (get) => {
  const one = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => {
    const [row] = await queryRows<T>(get().db, query);
    if (!row) throw new Error('no row');
    return row;
  };

  it('has the volumes the issue asks for', async () => {
    const counts = await one<{
      patterns: number;
      workflows: number;
      occurrences: number;
      savings: number;
    }>(
      sql`SELECT (SELECT count(*) FROM operation_patterns)::int AS patterns,
        (SELECT count(DISTINCT workflow_id) FROM pattern_occurrences)::int AS workflows,
        (SELECT count(*) FROM pattern_occurrences)::int AS occurrences,
        (SELECT count(*) FROM cost_savings_log)::int AS savings`,
    );
    expect(counts.patterns).toBe(200);
    expect(counts.workflows).toBeGreaterThan(2_700);
    expect(counts.workflows).toBeLessThan(3_300);
    expect(counts.occurrences).toBeGreaterThan(25_000);
    expect(counts.occurrences).toBeLessThan(35_000);
    expect(counts.savings).toBeGreaterThan(8_000);
    expect(counts.savings).toBeLessThan(12_000);
  });

  it('spans the 120 days before the anchor with a working-hours and weekday rhythm', async () => {
    const span = await one<{
      first: number;
      last: number;
      office: number;
      night: number;
      weekday: number;
      weekend: number;
    }>(
      sql`SELECT extract(epoch FROM min(detected_at))::float8 * 1000 AS first,
          extract(epoch FROM max(detected_at))::float8 * 1000 AS last,
          (count(*) FILTER (WHERE extract(hour FROM detected_at) BETWEEN 9 AND 17) / 9.0)::float8 AS office,
          (count(*) FILTER (WHERE extract(hour FROM detected_at) < 6) / 6.0)::float8 AS night,
          (count(*) FILTER (WHERE extract(isodow FROM detected_at) < 6) / 5.0)::float8 AS weekday,
          (count(*) FILTER (WHERE extract(isodow FROM detected_at) >= 6) / 2.0)::float8 AS weekend
        FROM pattern_occurrences`,
    );
    expect(span.first).toBeGreaterThanOrEqual(TEST_ANCHOR.getTime() - DEMO_DAYS * 86_400_000);
    expect(span.last).toBeLessThanOrEqual(TEST_ANCHOR.getTime());
    expect(span.last).toBeGreaterThan(TEST_ANCHOR.getTime() - 86_400_000);
    // Per hour, office hours are far busier than the night; per day, weekdays than weekends.
    expect(span.office / span.night).toBeGreaterThan(5);
    expect(span.weekday / span.weekend).toBeGreaterThan(2);
  });

  it('has power-law popularity over every automation status', async () => {
    const statuses = await queryRows<{ status: string }>(
      get().db,
      sql`SELECT DISTINCT automation_status AS status FROM operation_patterns
          WHERE id IN (SELECT pattern_id FROM pattern_occurrences)`,
    );
    expect(statuses.map((s) => s.status).sort()).toEqual(
      [...AUTOMATION_STATUSES, ...PLANTED_UNKNOWN_STATUSES].sort(),
    );
    const shares = await one<{ top10: number }>(
      sql`SELECT (sum(n) FILTER (WHERE rank <= 10) / sum(n))::float8 AS top10 FROM (
            SELECT count(*) AS n, row_number() OVER (ORDER BY count(*) DESC) AS rank
            FROM pattern_occurrences GROUP BY pattern_id) ranked`,
    );
    // Ten patterns of two hundred carry a large share of all occurrences.
    expect(shares.top10).toBeGreaterThan(0.3);
    const signatures = await queryRows<{ signature: string; type: string }>(
      get().db,
      sql`SELECT pattern_signature AS signature, pattern_type AS type FROM operation_patterns`,
    );
    for (const { signature, type } of signatures) expect(signature.split(':')[0]).toBe(type);
    expect(signatures.map((s) => s.signature)).toEqual(
      expect.arrayContaining(['test:pytest:backend', 'build:typecheck:frontend', 'sdlc:full:all']),
    );
  });

  it('keeps similarity mostly in 0.7 to 1.0, with a few 100.0 from the real writer', async () => {
    const s = await one<{
      high: number;
      max: number;
      min: number;
      percent: number;
      planted: number;
    }>(
      sql`SELECT avg((similarity_score >= 0.7)::int)::float8 AS high,
          max(similarity_score) FILTER (WHERE NOT ${PLANTED_PERCENT_SIMILARITY})::float8 AS max,
          min(similarity_score)::float8 AS min,
          count(*) FILTER (WHERE similarity_score > 1)::int AS percent,
          count(*) FILTER (WHERE ${PLANTED_PERCENT_SIMILARITY} AND similarity_score = 100)::int AS planted
        FROM pattern_occurrences`,
    );
    expect(s.high).toBeGreaterThan(0.8);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.percent).toBe(s.planted);
    expect(s.planted).toBeGreaterThan(5);
  });

  it('writes savings with baseline >= actual, tokens_saved = baseline - actual and cost at $3 per million, but for a few planted defects', async () => {
    const bad = await one<{ order: number; diff: number; price: number }>(
      sql`SELECT count(*) FILTER (WHERE baseline_tokens < actual_tokens)::int AS order,
          count(*) FILTER (WHERE tokens_saved <> baseline_tokens - actual_tokens)::int AS diff,
          count(*) FILTER (WHERE abs(cost_saved_usd - tokens_saved * ${USD_PER_TOKEN}::float8) > 0.000001)::int AS price
        FROM cost_savings_log WHERE NOT ${PLANTED_TOKEN_MISMATCH} AND NOT ${PLANTED_NEGATIVE_SAVINGS}`,
    );
    expect(bad).toEqual({ order: 0, diff: 0, price: 0 });
    const planted = await one<{ mismatch: number; negative: number }>(
      sql`SELECT count(*) FILTER (WHERE tokens_saved <> baseline_tokens - actual_tokens)::int AS mismatch,
          count(*) FILTER (WHERE tokens_saved < 0 AND cost_saved_usd < 0)::int AS negative
        FROM cost_savings_log`,
    );
    expect(planted.mismatch).toBeGreaterThan(2);
    expect(planted.negative).toBeGreaterThan(2);
    const types = await queryRows<{ type: string }>(
      get().db,
      sql`SELECT DISTINCT optimization_type AS type FROM cost_savings_log ORDER BY 1`,
    );
    expect(types.map((t) => t.type)).toEqual([...OPTIMIZATION_TYPES].sort());
  });

  it('contains the edge cases a real database has', async () => {
    const edges = await one<{
      silent: number;
      unattributed: number;
      orphanWorkflows: number;
      invalidJson: number;
      notes: number;
      savings: number;
      duplicates: number;
      drifted: number;
      wfForm: number;
      orphanToolCalls: number;
    }>(
      sql`SELECT
        (SELECT count(*) FROM operation_patterns op WHERE NOT EXISTS (SELECT 1 FROM pattern_occurrences po WHERE po.pattern_id = op.id))::int AS silent,
        (SELECT count(*) FROM cost_savings_log WHERE pattern_id IS NULL)::int AS unattributed,
        (SELECT count(DISTINCT workflow_id) FROM pattern_occurrences po WHERE NOT EXISTS (
          SELECT 1 FROM workflow_history wh WHERE wh.adw_id = po.workflow_id OR wh.workflow_id = po.workflow_id))::int AS "orphanWorkflows",
        (SELECT count(*) FROM pattern_occurrences WHERE matched_characteristics IS NOT NULL
          AND matched_characteristics NOT LIKE '%}')::int AS "invalidJson",
        (SELECT count(*) FROM cost_savings_log WHERE notes IS NOT NULL)::int AS notes,
        (SELECT count(*) FROM cost_savings_log)::int AS savings,
        (SELECT count(*) FROM (SELECT 1 FROM pattern_occurrences GROUP BY pattern_id, workflow_id HAVING count(*) > 1) d)::int AS duplicates,
        (SELECT count(*) FROM operation_patterns op WHERE occurrence_count <> (SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id))::int AS drifted,
        (SELECT count(*) FROM pattern_occurrences WHERE workflow_id LIKE 'wf-%')::int AS "wfForm",
        (SELECT count(*) FROM cost_savings_log s WHERE tool_call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id = s.tool_call_id))::int AS "orphanToolCalls"`,
    );
    expect(edges.silent).toBeGreaterThanOrEqual(1);
    expect(edges.unattributed).toBeGreaterThan(0);
    expect(edges.orphanWorkflows).toBeGreaterThan(0);
    expect(edges.invalidJson).toBeGreaterThan(0);
    expect(edges.notes / edges.savings).toBeGreaterThan(0.03);
    expect(edges.notes / edges.savings).toBeLessThan(0.3);
    expect(edges.duplicates).toBeGreaterThan(0);
    expect(edges.drifted).toBeGreaterThanOrEqual(2);
    expect(edges.wfForm).toBeGreaterThan(0);
    expect(edges.orphanToolCalls).toBeGreaterThan(0);
  });

  it('running the seed again neither fails nor duplicates', async () => {
    const count = () =>
      one<{ n: number }>(
        sql`SELECT ((SELECT count(*) FROM pattern_occurrences) + (SELECT count(*) FROM cost_savings_log))::int AS n`,
      );
    const before = await count();
    const result = await seedDemoData(get().db, { anchor: TEST_ANCHOR });
    expect(result.status).toBe('skipped');
    expect(await count()).toEqual(before);
  });

  it('stores exactly what the generator yields', async () => {
    const generator = new DemoGenerator({ anchor: TEST_ANCHOR });
    let occurrences = 0;
    let tokens = 0;
    for (const batch of generator.batches()) {
      occurrences += batch.occurrences.length;
      // Baselines: the planted defects change tokens_saved and actual_tokens, never these.
      for (const s of batch.savings) tokens += s.baselineTokens ?? 0;
    }
    const stored = await one<{ occurrences: number; tokens: number }>(
      sql`SELECT (SELECT count(*) FROM pattern_occurrences)::int AS occurrences,
          (SELECT sum(baseline_tokens) FROM cost_savings_log)::float8 AS tokens`,
    );
    expect(stored).toEqual({ occurrences, tokens });
  });
});
