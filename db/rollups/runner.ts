/**
 * Folding: moving the journals' rows into the rollups, outside the agents' transactions.
 *
 * A fold runs in one REPEATABLE READ transaction: every statement sees the same snapshot, so the
 * journal rows it adds are exactly the ones it deletes at the end, and the raw rows it re-reads
 * for the few non-additive figures are exactly as those journal rows left them. Rows agents commit
 * meanwhile stay in the journal for the next fold. Folds take the one row of `fold_state` first:
 * a second folder waits, then fails to serialise and gives up, so no journal row is added twice.
 *
 * A rebuild is the same statements fed with every raw row instead of the journal, over emptied
 * rollups: how rollups are first filled when Pattern Ledger attaches, and a repair tool.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../types';
import { databaseErrorInfo } from '../errors';
import { queryRows } from '../sql';
import { characteristicFold } from './characteristics';
import {
  declarationFingerprint,
  foldStatement,
  tableOf,
  RAW,
  type Feed,
  type RollupSource,
} from './define';
import { ROLLUPS } from './declarations';
import { defectFolds, defectsFromEveryRow, defectsOf } from './defects';
import { JOURNAL_TABLES, journalTable, type JournalName, type Source } from './sql';
import { EVERY_WORKFLOW, workflowFold } from './workflows';

/**
 * A fold reads the journals once, into temporary copies of this transaction's snapshot, and every
 * statement reads the copies: a journal that once held a bulk load keeps its size on disk until
 * autovacuum trims it, and a scan of it per statement cost seconds a fold.
 */
const STAGED: Record<JournalName, string> = {
  occurrences: 'fold_occurrences',
  savings: 'fold_savings',
  history: 'fold_history',
  toolCalls: 'fold_tool_calls',
};
const staged = (name: JournalName) => sql.raw(STAGED[name]);

/** What the declared rollups count now; stored with each fill (the attach plan compares). */
export const ROLLUPS_DECLARED = declarationFingerprint(ROLLUPS);

const FOLD: Feed = {
  rows: (source: RollupSource) => staged(source.journal),
  sign: sql`j.sign`,
  rebuild: false,
};

/** The journals' rows of this snapshot copied into temporary tables (dropped at commit). */
async function stageJournals(tx: Database): Promise<number> {
  let rows = 0;
  for (const name of Object.keys(STAGED) as JournalName[]) {
    await tx.execute(
      sql`CREATE TEMPORARY TABLE ${staged(name)} ON COMMIT DROP AS SELECT * FROM ${journalTable(name)}`,
    );
    // Fresh statistics, so that a few rows are looked up by index and many are joined by hash.
    await tx.execute(sql`ANALYZE ${staged(name)}`);
    const [counted] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM ${staged(name)}`,
    );
    rows += counted?.n ?? 0;
  }
  return rows;
}

/** Every statement of a fold (or, fed every raw row, of a rebuild over emptied rollups). */
function foldStatements(
  feed: Feed,
  counts: (rollup: (typeof ROLLUPS)[number]) => boolean = () => true,
): SQL[] {
  return ROLLUPS.filter(counts).map((rollup) => foldStatement(rollup, feed));
}

const ofSource = (source: RollupSource['table']) => (rollup: (typeof ROLLUPS)[number]) =>
  rollup.source.table === source;

/** A fold of the staged journals: the additive rollups, then those counted again. */
function journalFoldStatements(): SQL[] {
  const workflowKeys = sql`(SELECT workflow_id::text AS w FROM ${staged('occurrences')}
    UNION SELECT workflow_id::text FROM ${staged('savings')} UNION SELECT key FROM ${staged('history')})`;
  return [
    ...foldStatements(FOLD),
    ...characteristicFold(staged('occurrences')),
    workflowFold(workflowKeys),
    ...defectFolds({
      occurrences: staged('occurrences'),
      savings: staged('savings'),
      toolCalls: staged('toolCalls'),
    }),
  ];
}

const emptied = (tables: SQL[]) => tables.map((table) => sql`DELETE FROM ${table}`);

/** The rollups each source's rows count in: emptied after a TRUNCATE (and before a rebuild). */
const ROLLUPS_OF: Record<Exclude<Source, 'workflow_history'>, SQL[]> = {
  pattern_occurrences: [
    ...emptied(ROLLUPS.filter(ofSource('pattern_occurrences')).map(tableOf)),
    sql`DELETE FROM pattern_ledger.characteristic_rollup_hourly`,
    defectsOf.occurrences,
  ],
  cost_savings_log: [
    ...emptied(ROLLUPS.filter(ofSource('cost_savings_log')).map(tableOf)),
    defectsOf.savings,
  ],
  tool_calls: [defectsOf.toolCalls],
};

/** After a TRUNCATE: the sources' rollups emptied, then filled again from the raw rows that remain. */
async function foldTruncations(tx: Database, sources: Source[]): Promise<void> {
  const occurrences = sources.includes('pattern_occurrences');
  const savings = sources.includes('cost_savings_log');
  const toolCalls = sources.includes('tool_calls');
  if (occurrences)
    for (const statement of ROLLUPS_OF.pattern_occurrences) await tx.execute(statement);
  if (savings) for (const statement of ROLLUPS_OF.cost_savings_log) await tx.execute(statement);
  else if (toolCalls) for (const statement of ROLLUPS_OF.tool_calls) await tx.execute(statement);
  if (occurrences || savings) await tx.execute(sql`DELETE FROM pattern_ledger.workflow_rollup`);
  if (sources.includes('workflow_history'))
    await tx.execute(
      sql`UPDATE pattern_ledger.workflow_rollup SET has_history = false WHERE has_history`,
    );
  // What the sources hold now (rows written after the TRUNCATE): counted afresh, journal ignored.
  const everyRow = defectsFromEveryRow();
  const statements = [
    ...(occurrences
      ? [...foldStatements(RAW, ofSource('pattern_occurrences')), ...characteristicFold(null)]
      : []),
    ...(savings ? foldStatements(RAW, ofSource('cost_savings_log')) : []),
    ...(occurrences || savings ? [workflowFold(EVERY_WORKFLOW)] : []),
    ...(occurrences ? [everyRow.occurrences] : []),
    ...(savings ? [everyRow.savings] : []),
    ...(savings || toolCalls ? [everyRow.toolCalls] : []),
  ];
  for (const statement of statements) await tx.execute(statement);
  // The journal rows of a truncated source are counted by the statements above already.
  if (occurrences) await tx.execute(sql`DELETE FROM ${journalTable('occurrences')}`);
  if (savings) await tx.execute(sql`DELETE FROM ${journalTable('savings')}`);
  await tx.execute(sql`DELETE FROM pattern_ledger.truncation`);
}

/** Every rollup filled from every raw row, over emptied rollups. */
function rebuildStatements(): SQL[] {
  const everyRow = defectsFromEveryRow();
  return [
    ...foldStatements(RAW),
    ...characteristicFold(null),
    workflowFold(EVERY_WORKFLOW),
    everyRow.occurrences,
    everyRow.savings,
    everyRow.toolCalls,
  ];
}

export type FoldResult = { folded: number } | { skipped: 'busy' | 'empty' };

const SERIALIZATION_FAILURE = '40001';
const LOCK_NOT_AVAILABLE = '55P03';

/** How many changes wait in the journals (cheap: they are small). */
export async function pendingChanges(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT (${sql.join(
      (Object.keys(JOURNAL_TABLES) as JournalName[]).map(
        (name) => sql`(SELECT count(*) FROM ${journalTable(name)})`,
      ),
      sql` + `,
    )} + (SELECT count(*) FROM pattern_ledger.truncation))::int AS n`,
  );
  return row?.n ?? 0;
}

/**
 * A backlog this large, and a good part of all rows, is counted afresh rather than folded: a
 * rebuild aggregates every row in a few passes, a fold touches a rollup row per journal row.
 */
const REBUILD_ABOVE = 100_000;
const REBUILD_SHARE = 0.3;

async function rowsInSources(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT coalesce(sum(greatest(reltuples, 0)), 0)::float8 AS n FROM pg_class
      WHERE oid IN (to_regclass('public.pattern_occurrences'), to_regclass('public.cost_savings_log'))`,
  );
  return row?.n ?? 0;
}

/**
 * Folds every journal row committed so far into the rollups. Skips at once when the journals
 * are empty, and when another folder is at work (it will fold these rows too). A backlog of
 * most of the rows (a bulk load) is counted afresh instead.
 */
export async function foldChanges(db: Database): Promise<FoldResult> {
  const pending = await pendingChanges(db);
  if (pending === 0) return { skipped: 'empty' };
  if (pending > REBUILD_ABOVE && pending > REBUILD_SHARE * (await rowsInSources(db))) {
    const rebuilt = await rebuild(db, { wait: false });
    if ('skipped' in rebuilt) return rebuilt;
    await tidyRollups(db);
    return { folded: pending };
  }
  return inFoldTransaction(db, async (tx) => {
    const truncated = await queryRows<{ source: Source }>(
      tx,
      sql`SELECT source FROM pattern_ledger.truncation`,
    );
    if (truncated.length > 0)
      await foldTruncations(
        tx,
        truncated.map((row) => row.source),
      );
    // After the truncations, which empty the journals of the sources they count afresh.
    const counted = await stageJournals(tx);
    for (const statement of journalFoldStatements()) await tx.execute(statement);
    await deleteJournals(tx);
    return counted;
  }).then(async (result) => {
    if (!('skipped' in result)) await compactJournals(db);
    return result;
  });
}

/** A journal larger than this on disk (in bytes) is vacuumed after a fold. */
const JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024;

/**
 * Every read scans the journals whole, so one that once held a backlog (the folder stopped for a
 * while, a bulk load) must not stay large on disk once folded. VACUUM gives the space back to the
 * file system, taking the journal's lock only while nobody waits for it (PostgreSQL stops the
 * truncation at once when an agent's insert wants the table), and only when a journal has grown.
 */
async function compactJournals(db: Database): Promise<void> {
  const sizes = await queryRows<{ name: string; bytes: number }>(
    db,
    sql`SELECT c.relname AS name, pg_relation_size(c.oid)::float8 AS bytes FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'pattern_ledger' AND c.relkind = 'r' AND c.relname LIKE '%\\_change'`,
  );
  for (const { name, bytes } of sizes)
    if (bytes > JOURNAL_COMPACT_BYTES)
      await db.execute(sql`VACUUM ${sql.raw(`pattern_ledger.${name}`)}`);
}

/** Empties every rollup and fills it again from the raw rows, emptying the journals. */
export async function rebuildRollups(db: Database): Promise<void> {
  const result = await rebuild(db, { wait: true });
  if ('skipped' in result) throw new Error('another fold holds the rollups');
  await tidyRollups(db);
}

/** Every rollup table (and the defect list) a rebuild empties and fills again. */
const REBUILT_TABLES = [
  ...ROLLUPS.map(tableOf),
  sql.raw('pattern_ledger.characteristic_rollup_hourly'),
  sql.raw('pattern_ledger.workflow_rollup'),
  sql.raw('pattern_ledger.data_quality_defect'),
];

/**
 * After a rebuild every rollup row is new: without a VACUUM each index-only scan visits the table
 * too, and without fresh statistics the planner reads them as they were (pages took seconds).
 * Autovacuum would come to it in time; the pages should not wait for it. Only Pattern Ledger's
 * own tables, outside any transaction.
 */
async function tidyRollups(db: Database): Promise<void> {
  for (const table of REBUILT_TABLES) await db.execute(sql`VACUUM (ANALYZE) ${table}`);
  await compactJournals(db);
}

function rebuild(db: Database, options: { wait: boolean }): Promise<FoldResult> {
  return inFoldTransaction(
    db,
    async (tx) => {
      // Aggregating millions of rows in memory rather than in batches on disk.
      await tx.execute(sql`SELECT set_config('work_mem', '64MB', true)`);
      for (const statements of Object.values(ROLLUPS_OF))
        for (const statement of statements) await tx.execute(statement);
      await tx.execute(sql`DELETE FROM pattern_ledger.workflow_rollup`);
      await tx.execute(sql`DELETE FROM pattern_ledger.data_quality_defect`);
      for (const statement of rebuildStatements()) await tx.execute(statement);
      await deleteJournals(tx);
      await tx.execute(sql`DELETE FROM pattern_ledger.truncation`);
      await tx.execute(
        sql`UPDATE pattern_ledger.fold_state SET rebuilt_at = now(), rollups_declared = ${ROLLUPS_DECLARED}
          WHERE id = 1`,
      );
      return 0;
    },
    options,
  );
}

async function deleteJournals(tx: Database): Promise<void> {
  for (const name of Object.keys(JOURNAL_TABLES) as JournalName[])
    await tx.execute(sql`DELETE FROM ${journalTable(name)}`);
}

async function inFoldTransaction(
  db: Database,
  fold: (tx: Database) => Promise<number>,
  options: { wait?: boolean } = {},
): Promise<FoldResult> {
  try {
    const folded = await db.transaction(
      async (tx) => {
        // The snapshot is taken by this statement; the row lock by the next. A fold that
        // committed in between leaves a newer row version, and the UPDATE fails to serialise.
        await tx.execute(
          sql`SELECT set_config('lock_timeout', ${options.wait ? '0' : '200ms'}, true)`,
        );
        // A fold's statements are short, but a large journal makes their estimates large: a JIT
        // compile then costs more than the statement (half a second for a few ms of work).
        await tx.execute(sql`SELECT set_config('jit', 'off', true)`);
        await tx.execute(
          sql`UPDATE pattern_ledger.fold_state SET folded_at = now(), folds = folds + 1 WHERE id = 1`,
        );
        const n = await fold(tx);
        await tx.execute(
          sql`UPDATE pattern_ledger.fold_state SET changes_folded = changes_folded + ${n}, last_error = NULL WHERE id = 1`,
        );
        return n;
      },
      { isolationLevel: 'repeatable read' },
    );
    return { folded };
  } catch (error) {
    const { code } = databaseErrorInfo(error);
    if (code === SERIALIZATION_FAILURE || code === LOCK_NOT_AVAILABLE) return { skipped: 'busy' };
    throw error;
  }
}

/** Says why the last fold failed, where /api/health reads it. */
export async function recordFoldProblem(db: Database, problem: string): Promise<void> {
  await db.execute(sql`UPDATE pattern_ledger.fold_state SET last_error = ${problem.slice(0, 2000)},
    last_error_at = now() WHERE id = 1`);
}
