/**
 * `npm run bench:data -- --url postgres://…`: fills a PostgreSQL database with the benchmark data
 * set, generated inside PostgreSQL in bulk: 1,000 patterns, 100,000 workflows, 5,000,000
 * occurrences and 2,000,000 savings over 365 days, shaped like the demo data (power-law pattern
 * popularity, working-hours rhythm, similarity mostly 0.7–1, savings priced at $3 per million
 * tokens). `--size 0.1` makes a tenth of it. `--scale` loads the cost curve's three sets
 * (0.5 M, 5 M and 50 M occurrences) into three databases named after --url's, timing each step.
 * Deterministic for a given --anchor.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { rebuildRollups } from '../db/rollups/runner';
import { parseCli, runMain } from '../scripts/cli';
import { SCALE_SETS, scaleDatabaseUrl } from './scale-sets';

const usage = `Usage: npm run bench:data -- --url postgres://user@host:5432/db [--size F | --scale] [--anchor ISO-TIME] [--reset]
  --url      the PostgreSQL database to fill (it is migrated first)
  --size F   fraction or multiple of the full set (default 1: 5,000,000 occurrences)
  --scale    the cost curve: 0.5 M, 5 M and 50 M occurrences into <db>_0_5m, <db>_5m and <db>_50m
             (created when missing), each step timed into bench/results/scale-load-<time>.json
  --anchor T end of the 365-day period (default 2026-11-01T00:00:00Z)
  --reset    empty the tracking tables first (a database with rows is refused otherwise)`;

const args = parseCli(
  {
    url: { type: 'string' },
    size: { type: 'string' },
    scale: { type: 'boolean' },
    anchor: { type: 'string' },
    reset: { type: 'boolean' },
  },
  usage,
);
if (args.help || !args.url || (args.scale && args.size)) {
  console.log(usage);
  process.exit(args.help ? 0 : 2);
}
const size = Number(args.size ?? 1);
const anchor = new Date(args.anchor ?? '2026-11-01T00:00:00Z');
if (!(size > 0) || Number.isNaN(anchor.getTime())) {
  console.error(usage);
  process.exit(2);
}

const PATTERNS = 1000;
const OCCURRENCES_PER_WORKFLOW = 50;
const SAVINGS_PER_WORKFLOW = 20;
const CHUNK = 5_000;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const say = (message: string) => console.log(`[bench:data ${elapsed()}] ${message}`);

type Step = { step: string; seconds: number };

/** Runs the steps in order, saying each and keeping how long it took. */
function stepTimer() {
  const steps: Step[] = [];
  return {
    steps,
    step: async (name: string, work: () => Promise<unknown>) => {
      say(name);
      const from = performance.now();
      await work();
      steps.push({ step: name, seconds: Math.round((performance.now() - from) / 100) / 10 });
    },
  };
}

/** Fills one database with `size` times the full set; returns each step's time. */
async function loadSet(url: string, size: number): Promise<Step[]> {
  const WORKFLOWS = Math.round(100_000 * size);
  const { steps, step } = stepTimer();
  await step(`migrating ${url.replace(/:[^:@/]*@/, ':***@')}`, async () => {
    const handle = await openDatabase({ kind: 'postgres', url, poolMax: 1 });
    await handle.migrate({ demoTables: true });
    await handle.close();
  });

  const db = postgres(url, { max: 1, onnotice: () => {} });
  const [existing] = await db<{ rows: number }[]>`
    SELECT ((SELECT count(*) FROM operation_patterns) + (SELECT count(*) FROM pattern_occurrences)
      + (SELECT count(*) FROM cost_savings_log))::int AS rows`;
  if ((existing?.rows ?? 0) > 0 && !args.reset)
    throw new Error('the database holds rows; pass --reset to replace them');
  await db`TRUNCATE pattern_occurrences, cost_savings_log, workflow_history, tool_calls,
    operation_patterns RESTART IDENTITY CASCADE`;
  await db`SELECT setseed(0.42)`;
  const end = anchor.toISOString();
  await step(
    `patterns: ${PATTERNS}`,
    () => db`
    INSERT INTO operation_patterns (pattern_signature, pattern_type, automation_status,
      confidence_score, avg_tokens_with_llm, avg_tokens_with_tool, avg_cost_with_llm,
      avg_cost_with_tool, potential_monthly_savings, first_detected, last_seen, occurrence_count)
    SELECT c.category || ':' || s.subtype || ':' || sc.scope || CASE WHEN n > 1 THEN '-' || n ELSE '' END,
      c.category,
      (ARRAY['detected','candidate','approved','implemented','active','deprecated'])[1 + (g % 6)],
      round((35 + random() * 64)::numeric, 1), llm, tool, llm * 0.000003, tool * 0.000003,
      round(((llm - tool) * 0.000003 * (5 + random() * 200))::numeric, 2),
      ${end}::timestamp - interval '365 days', ${end}::timestamp, 0
    FROM generate_series(0, ${PATTERNS - 1}) g
    CROSS JOIN LATERAL (SELECT (ARRAY['test','build','format','git','deps','docs','deploy','review','sdlc','fix'])[1 + g % 10] AS category) c
    CROSS JOIN LATERAL (SELECT (ARRAY['pytest','vitest','jest','generic','typecheck','compile','bundle','diff','status','log'])[1 + (g / 10) % 10] AS subtype) s
    CROSS JOIN LATERAL (SELECT (ARRAY['backend','frontend','both','all','summary'])[1 + (g / 100) % 5] AS scope, 1 + g / 500 AS n) sc
    CROSS JOIN LATERAL (SELECT 2000 + floor(random() * 30000 + 0 * g)::int AS llm, 100 + floor(random() * 1500)::int AS tool) t`,
  );

  // Start times over 365 days, most of them in working hours (08–19 UTC). Ids follow
  // the start times, so the rows below go in as agents append them: in time order, a month's rows
  // on a month's pages (the tables' time correlation near 1, as in a database written over a year).
  await step(
    `workflows: ${WORKFLOWS}`,
    () => db`
    INSERT INTO workflow_history (adw_id, issue_number, workflow_template, model_used, status,
      start_time, end_time, duration_seconds)
    SELECT 'adw-' || lpad(to_hex(i), 8, '0'), i, 'adw_sdlc_iso', 'claude-sonnet-4-5',
      CASE WHEN random() < 0.09 THEN 'failed' ELSE 'completed' END,
      st, st + make_interval(secs => d), d
    FROM generate_series(1, ${WORKFLOWS}) i
    CROSS JOIN LATERAL (SELECT floor(random() * 365 + 0 * i)::int AS day,
      CASE WHEN random() < 0.85 THEN 8 + floor(random() * 11) ELSE floor(random() * 24) END::int AS hour,
      (120 + random() * 3000)::int AS d) r
    CROSS JOIN LATERAL (SELECT ${end}::timestamp - make_interval(days => 365 - r.day)
      + make_interval(hours => r.hour, mins => floor(random() * 60)::int) AS st) t
    ORDER BY st`,
  );

  const occurrenceTotal = WORKFLOWS * OCCURRENCES_PER_WORKFLOW;
  const savingsTotal = WORKFLOWS * SAVINGS_PER_WORKFLOW;
  const rowsFrom = performance.now();
  for (let from = 1; from <= WORKFLOWS; from += CHUNK) {
    const to = Math.min(from + CHUNK - 1, WORKFLOWS);
    // (Every random() in a LATERAL subquery mentions an outer column, else PostgreSQL runs it once.)
    // Power-law popularity: a few patterns carry most occurrences.
    await db`
      INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics, detected_at)
      SELECT 1 + floor(${PATTERNS} * power(random(), 3))::int, w.adw_id,
        CASE WHEN random() < 0.9 THEN 0.7 + 0.3 * power(random(), 0.6) ELSE 0.3 + 0.4 * random() END,
        '{"input_length":' || floor(random() * 4000)::int
          || ',"keywords":[],"duration_range":"' || (ARRAY['short','medium','long'])[1 + floor(power(random(), 2) * 3)::int]
          || '","complexity":"' || (ARRAY['simple','moderate','complex'])[1 + floor(power(random(), 1.5) * 3)::int]
          || '","error_count":' || floor(power(random(), 4) * 4)::int || '}',
        w.start_time + (w.end_time - w.start_time) * random()
      FROM workflow_history w CROSS JOIN generate_series(1, ${OCCURRENCES_PER_WORKFLOW}) k
      WHERE w.id BETWEEN ${from} AND ${to}`;
    await db`
      INSERT INTO cost_savings_log (optimization_type, workflow_id, tool_call_id, pattern_id,
        baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd, saved_at, notes)
      SELECT x.type, w.adw_id,
        CASE WHEN x.type = 'tool_call' THEN 'toolu_' || md5(w.id || ':' || k) END,
        CASE WHEN x.type = 'pattern_offload' THEN 1 + floor(${PATTERNS} * power(random(), 3))::int END,
        x.baseline, x.actual, x.baseline - x.actual, (x.baseline - x.actual) * 0.000003,
        w.start_time + (w.end_time - w.start_time) * random(),
        CASE WHEN random() < 0.05 THEN 'Reviewed: saving confirmed' END
      FROM workflow_history w CROSS JOIN generate_series(1, ${SAVINGS_PER_WORKFLOW}) k
      CROSS JOIN LATERAL (SELECT t.type, b.baseline, (b.baseline * (0.1 + random() * 0.5))::int AS actual
        FROM (SELECT (ARRAY['pattern_offload','pattern_offload','tool_call','tool_call','input_split','inverted_flow'])[1 + floor(random() * 6 + 0 * k + 0 * w.id)::int] AS type) t,
             (SELECT 2000 + floor(random() * 40000 + 0 * k + 0 * w.id)::int AS baseline) b) x
      WHERE w.id BETWEEN ${from} AND ${to}`;
    say(
      `occurrences ${(to * OCCURRENCES_PER_WORKFLOW).toLocaleString('en-US')} of ${occurrenceTotal.toLocaleString('en-US')}, savings ${(to * SAVINGS_PER_WORKFLOW).toLocaleString('en-US')} of ${savingsTotal.toLocaleString('en-US')}`,
    );
  }
  steps.push({
    step: `occurrences and savings through the agents' triggers: ${occurrenceTotal}, ${savingsTotal}`,
    seconds: Math.round((performance.now() - rowsFrom) / 100) / 10,
  });

  await step(
    'pattern counters and times',
    () => db`
    UPDATE operation_patterns op SET occurrence_count = a.n, first_detected = a.first_at, last_seen = a.last_at
    FROM (SELECT pattern_id, count(*)::int AS n, min(detected_at) AS first_at, max(detected_at) AS last_at
          FROM pattern_occurrences GROUP BY pattern_id) a
    WHERE a.pattern_id = op.id`,
  );
  // The rows went through the agents' triggers into the journals; counted afresh in one pass.
  await step('rollups rebuilt', async () => {
    const ledger = await openDatabase({ kind: 'postgres', url, poolMax: 1 });
    await rebuildRollups(ledger.db);
    await ledger.close();
  });
  // VACUUM sets the visibility map, as autovacuum would in a database written over months;
  // without it every index-only scan of the fresh rollups visits the heap (4× slower pages).
  await step('VACUUM ANALYZE', () => db`VACUUM ANALYZE`);
  await db.end();
  say(
    `done: ${PATTERNS} patterns, ${WORKFLOWS} workflows, ${occurrenceTotal} occurrences, ${savingsTotal} savings`,
  );
  return steps;
}

/** Creates the database `url` names unless it exists (through the server's `postgres` database). */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const db = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [found] = await db`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!found) await db.unsafe(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await db.end();
  }
}

await runMain(async () => {
  const url = args.url!;
  if (!args.scale) {
    await loadSet(url, size);
    return;
  }
  const loads = [];
  for (const set of SCALE_SETS) {
    const setUrl = scaleDatabaseUrl(url, set);
    await ensureDatabase(setUrl);
    say(`${set.label}: ${setUrl.replace(/:[^:@/]*@/, ':***@')}`);
    const from = performance.now();
    const steps = await loadSet(setUrl, set.size);
    loads.push({
      set: set.label,
      database: new URL(setUrl).pathname.slice(1),
      totalSeconds: Math.round((performance.now() - from) / 100) / 10,
      steps,
    });
  }
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `scale-load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), loads }, null, 2)}\n`);
  for (const load of loads) {
    console.log(`\n${load.set} (${load.database}): ${load.totalSeconds} s`);
    console.table(load.steps);
  }
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
});
