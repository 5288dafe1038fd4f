/**
 * What Pattern Ledger costs the agents' writes, measured on the same tables with and without it:
 * pgbench runs the agents' plain SQL (single-row inserts with 1 and 8 writers, and their
 * transaction shape with 8), first with Pattern Ledger detached from the agents' tables (no
 * trigger, no index of its own), then attached and folding, twice over, so drift shows.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { applyPlan } from '../db/setup/apply';
import { planDetach } from '../db/setup/detach';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/setup/migrate';
import { foldChanges } from '../db/rollups/runner';
import { queryRows } from '../db/sql';

const PGBENCH = ['/usr/lib/postgresql/15/bin/pgbench', 'pgbench'].find(
  (candidate) => spawnSync(candidate, ['--version']).status === 0,
);

// Each transaction belongs to one of many workflow runs, as the agents' adw ids do.
const INSERT = `\\set p random(1, :patterns)
\\set w random(1, 100000)
INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
  VALUES (:p, 'bench-agent-' || :w, 100.0, '{"input_length":0,"keywords":[],"complexity":"simple"}');
`;

// The agents' shape: per matched pattern an occurrence and its counter, patterns in any order.
const TRANSACTION = `\\set p random(1, :patterns)
\\set q random(1, :patterns)
\\set w random(1, 100000)
BEGIN;
INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
  VALUES (:p, 'bench-agent-tx-' || :w, 100.0, '{"input_length":0}');
UPDATE operation_patterns SET occurrence_count = occurrence_count + 1, last_seen = now() WHERE id = :p;
INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
  VALUES (:q, 'bench-agent-tx-' || :w, 100.0, '{"input_length":0}');
UPDATE operation_patterns SET occurrence_count = occurrence_count + 1, last_seen = now() WHERE id = :q;
INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd, notes)
  VALUES ('pattern_offload', 'bench-agent-tx-' || :w, :p, 5000, 1200, 3800, 0.0114, 'Pattern: bench');
COMMIT;
`;

export const WORKLOADS = [
  { name: 'single-row INSERT, 1 writer', script: INSERT, clients: 1 },
  { name: 'single-row INSERT, 8 writers', script: INSERT, clients: 8 },
  { name: "agents' transaction, 8 writers", script: TRANSACTION, clients: 8 },
] as const;

export type Run = { tps: number; p50Ms: number; failed: number };

/** Runs pgbench without blocking this process (other load may run beside it). */
export async function pgbench(
  url: string,
  script: string,
  clients: number,
  seconds: number,
  patterns: number,
): Promise<Run> {
  if (!PGBENCH) throw new Error('pgbench is not installed (apt-get install postgresql-client)');
  const dir = mkdtempSync(path.join(tmpdir(), 'pl-agents-'));
  try {
    const file = path.join(dir, 'script.sql');
    writeFileSync(file, script);
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(PGBENCH, [
          '-n',
          '-M',
          'simple',
          '-c',
          String(clients),
          '-j',
          String(clients),
          '-T',
          String(seconds),
          '-D',
          `patterns=${patterns}`,
          '-f',
          file,
          '-l',
          '--log-prefix',
          path.join(dir, 'log'),
          url,
        ]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      },
    );
    if (run.status !== 0 && !/tps =/.test(run.stdout)) throw new Error(`pgbench: ${run.stderr}`);
    const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? Number.NaN);
    const failed = Number(/number of failed transactions: (\d+)/.exec(run.stdout)?.[1] ?? 0);
    // Per-transaction log lines: client, transaction, latency in microseconds, …
    const latencies = readdirSync(dir)
      .filter((name) => name.startsWith('log'))
      .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)] ?? Number.NaN;
    return { tps: Math.round(tps), p50Ms: Math.round(p50 / 10) / 100, failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits until the database is quiet (no autovacuum worker, no other query running: an attach
 * leaves millions of fresh rollup rows to analyse) and starts from a checkpoint, so that every
 * run, with Pattern Ledger or without, begins in the same state.
 */
export async function settle(db: Parameters<typeof queryRows>[0]) {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    const [row] = await queryRows<{ busy: number }>(
      db,
      sql`SELECT count(*)::int AS busy FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND (backend_type = 'autovacuum worker'
          OR (datname = current_database() AND state = 'active'))`,
    );
    if ((row?.busy ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await db.execute(sql`CHECKPOINT`);
}

export async function patternCount(db: Parameters<typeof queryRows>[0]): Promise<number> {
  const [row] = await queryRows<{ patterns: number }>(
    db,
    sql`SELECT max(id)::int AS patterns FROM operation_patterns`,
  );
  return row?.patterns ?? 1;
}

/** Every workload once, while a folder folds the journals every second as each app process does. */
async function whileFolding(
  db: Parameters<typeof queryRows>[0],
  url: string,
  seconds: number,
  patterns: number,
): Promise<Record<string, Run>> {
  let folding = true;
  const folder = (async () => {
    while (folding) {
      await foldChanges(db);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const runs: Record<string, Run> = {};
  try {
    for (const workload of WORKLOADS) {
      // Quiet, but for the folder.
      await settle(db);
      runs[workload.name] = await pgbench(
        url,
        workload.script,
        workload.clients,
        seconds,
        patterns,
      );
    }
  } finally {
    folding = false;
    await folder;
  }
  return runs;
}

/** The rows go, and so do the counter bumps the agents' transactions made for them. */
export async function removeBenchRows(db: Parameters<typeof queryRows>[0]): Promise<void> {
  await db.execute(
    sql`WITH gone AS (DELETE FROM pattern_occurrences WHERE workflow_id LIKE 'bench-agent-%' RETURNING pattern_id, workflow_id)
      UPDATE operation_patterns op SET occurrence_count = op.occurrence_count - g.n
      FROM (SELECT pattern_id, count(*)::int AS n FROM gone WHERE workflow_id LIKE 'bench-agent-tx-%' GROUP BY 1) g
      WHERE op.id = g.pattern_id AND op.occurrence_count >= g.n`,
  );
  await db.execute(sql`DELETE FROM cost_savings_log WHERE workflow_id LIKE 'bench-agent-%'`);
  await foldChanges(db);
}

/**
 * The agents' writes as they are with Pattern Ledger attached and folding, without detaching:
 * the cost curve's write figure at each data size.
 */
export async function agentsWriteRate(url: string, seconds: number) {
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  try {
    const runs = await whileFolding(handle.db, url, seconds, await patternCount(handle.db));
    await removeBenchRows(handle.db);
    return WORKLOADS.map((workload) => ({ workload: workload.name, ...runs[workload.name]! }));
  } finally {
    await handle.close();
  }
}

export async function agentsWriteCost(url: string, seconds: number) {
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  const say = (message: string) => console.log(`[agents] ${message}`);
  try {
    const patterns = await patternCount(handle.db);
    const results: Record<string, { without: Run[]; with: Run[] }> = {};
    for (const workload of WORKLOADS) results[workload.name] = { without: [], with: [] };
    for (let round = 1; round <= 2; round++) {
      const agentsSteps = (await planDetach(handle.db, 'postgres')).filter(
        (s) => s.on === 'agents',
      );
      say(`round ${round}: detaching from the agents' tables (${agentsSteps.length} steps)`);
      await applyPlan(handle.db, { steps: agentsSteps, rebuild: false });
      for (const workload of WORKLOADS) {
        await settle(handle.db);
        results[workload.name]!.without.push(
          await pgbench(url, workload.script, workload.clients, seconds, patterns),
        );
      }
      say(`round ${round}: attaching again (triggers, rollups filled, indexes)`);
      const started = performance.now();
      await migrateDatabase(handle);
      say(`attached in ${Math.round((performance.now() - started) / 1000)} s`);
      const runs = await whileFolding(handle.db, url, seconds, patterns);
      for (const workload of WORKLOADS) results[workload.name]!.with.push(runs[workload.name]!);
    }
    await removeBenchRows(handle.db);
    const mean = (runs: Run[], key: keyof Run) =>
      runs.reduce((sum, run) => sum + run[key], 0) / runs.length;
    return WORKLOADS.map((workload) => {
      const { without, with: attached } = results[workload.name]!;
      return {
        workload: workload.name,
        tpsWithout: without.map((r) => r.tps).join(' / '),
        tpsWith: attached.map((r) => r.tps).join(' / '),
        throughputRatio: Math.round((mean(attached, 'tps') / mean(without, 'tps')) * 100) / 100,
        p50MsWithout: without.map((r) => r.p50Ms).join(' / '),
        p50MsWith: attached.map((r) => r.p50Ms).join(' / '),
        p50SlowerMs: Math.round((mean(attached, 'p50Ms') - mean(without, 'p50Ms')) * 1000) / 1000,
        failedWithout: without.reduce((n, r) => n + r.failed, 0),
        failedWith: attached.reduce((n, r) => n + r.failed, 0),
      };
    });
  } finally {
    await handle.close();
  }
}
