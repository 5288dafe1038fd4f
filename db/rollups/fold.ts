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
import { characteristicFold } from './characteristics';
import { queryRows } from '../sql';
import {
  J,
  occurrenceDefects,
  occurrenceFigures,
  OCCURRENCE_CHECKS,
  ratio,
  savingsDefects,
  savingsFigures,
  SAVINGS_CHECKS,
  scaleFigures,
  TOOL_CALL_CHECK,
  utc,
  workflowsFromRaw,
  type Source,
} from './live';

/** Where a fold's changes come from: the journals, or (rebuild) every raw row, added once. */
type Feed = {
  occurrences: SQL;
  savings: SQL;
  /** Workflow ids and tool call ids whose rows changed (journals only). */
  history: SQL;
  toolCalls: SQL;
  sign: SQL;
  /** Only the rows the journals name (fold), or every row (rebuild). */
  rebuild: boolean;
};

/**
 * A fold reads the journals once, into temporary copies of this transaction's snapshot, and every
 * statement reads the copies: a journal that once held a bulk load keeps its size on disk until
 * autovacuum trims it, and a scan of it per statement cost seconds a fold.
 */
const STAGED = {
  occurrences: 'fold_occurrences',
  savings: 'fold_savings',
  history: 'fold_history',
  toolCalls: 'fold_tool_calls',
} as const satisfies Record<keyof typeof J, string>;

const FOLD: Feed = {
  occurrences: sql.raw(STAGED.occurrences),
  savings: sql.raw(STAGED.savings),
  history: sql.raw(STAGED.history),
  toolCalls: sql.raw(STAGED.toolCalls),
  sign: sql`j.sign`,
  rebuild: false,
};
const REBUILD: Feed = {
  occurrences: sql`pattern_occurrences`,
  savings: sql`cost_savings_log`,
  history: sql`(SELECT NULL::text AS key WHERE false)`,
  toolCalls: sql`(SELECT NULL::text AS key WHERE false)`,
  sign: sql`1`,
  rebuild: true,
};

/** The journals' rows of this snapshot copied into temporary tables (dropped at commit). */
async function stageJournals(tx: Database): Promise<number> {
  let rows = 0;
  for (const [source, staged] of Object.entries(STAGED) as [keyof typeof J, string][]) {
    await tx.execute(
      sql`CREATE TEMPORARY TABLE ${sql.raw(staged)} ON COMMIT DROP AS SELECT * FROM ${J[source]}`,
    );
    // Fresh statistics, so that a few rows are looked up by index and many are joined by hash.
    await tx.execute(sql`ANALYZE ${sql.raw(staged)}`);
    const [counted] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM ${sql.raw(staged)}`,
    );
    rows += counted?.n ?? 0;
  }
  return rows;
}

const hourOrDay = (level: 'hourly' | 'daily') => sql.raw(level === 'hourly' ? `'hour'` : `'day'`);
const stepOf = (level: 'hourly' | 'daily') =>
  sql.raw(level === 'hourly' ? `interval '1 hour'` : `interval '1 day'`);

/**
 * One additive rollup: `delta` (grouped by `keys`, with one column per sum) is added to the stored
 * rows, rows left at nothing are deleted. `minimum`, if any, is kept exact: the least of the stored
 * and the added values, or, where a row was removed (`removed` true in the delta), read again from
 * the raw rows of the key (`raw`, alias `m` for the merged row).
 */
type Additive = {
  table: string;
  keys: string[];
  /** Keys that may be NULL (compared with IS NOT DISTINCT FROM; the unique key treats NULLs as equal). */
  nullable?: string[];
  sums: string[];
  minimum?: { column: string; raw: SQL };
  /** When a merged row still holds something (default: the first sum above zero). */
  present?: (m: SQL) => SQL;
  delta: SQL;
  /** In a rebuild, the same delta read from a finer rollup filled just before (days from hours). */
  rebuildFrom?: SQL;
};

function foldAdditive(feed: Feed, rollup: Additive): SQL {
  const table = sql.raw(`pattern_ledger.${rollup.table}`);
  const col = (alias: string, name: string) => sql.raw(`${alias}.${name}`);
  const list = (names: string[]) => sql.raw(names.join(', '));
  const matches = (a: string, b: string) =>
    sql.join(
      rollup.keys.map((key) =>
        rollup.nullable?.includes(key)
          ? sql`${col(a, key)} IS NOT DISTINCT FROM ${col(b, key)}`
          : sql`${col(a, key)} = ${col(b, key)}`,
      ),
      sql` AND `,
    );
  const merged = sql.join(
    [
      ...rollup.keys.map((key) => col('d', key)),
      ...rollup.sums.map(
        (name) => sql`coalesce(${col('s', name)}, 0) + ${col('d', name)} AS ${sql.raw(name)}`,
      ),
      ...(rollup.minimum
        ? [
            sql`CASE WHEN d.removed THEN (${rollup.minimum.raw})
              ELSE least(${col('s', rollup.minimum.column)}, d.added_min) END AS ${sql.raw(rollup.minimum.column)}`,
          ]
        : []),
    ],
    sql`, `,
  );
  const present = rollup.present ?? ((m: SQL) => sql`${m}.${sql.raw(rollup.sums[0]!)} > 0`);
  const columns = [
    ...rollup.keys,
    ...rollup.sums,
    ...(rollup.minimum ? [rollup.minimum.column] : []),
  ];
  const updates = sql.raw(
    [...rollup.sums, ...(rollup.minimum ? [rollup.minimum.column] : [])]
      .map((name) => `${name} = excluded.${name}`)
      .join(', '),
  );
  if (feed.rebuild) {
    // Over emptied rollups every row is new: inserted as aggregated, no merge, no conflict.
    const fresh = [
      ...rollup.keys,
      ...rollup.sums,
      ...(rollup.minimum ? [`added_min AS ${rollup.minimum.column}`] : []),
    ];
    // In key order: the primary key's index grows at its end rather than everywhere at once.
    return sql`INSERT INTO ${table} (${list(columns)})
      SELECT ${list(fresh)} FROM (${rollup.rebuildFrom ?? rollup.delta}) m WHERE ${present(sql`m`)}
      ORDER BY ${list(rollup.keys)}`;
  }
  // The merged row needs the delta's key values for `minimum.raw`; alias it `m`.
  return sql`WITH d AS (${rollup.delta}),
    m AS (SELECT ${merged} FROM d LEFT JOIN ${table} s ON ${matches('s', 'd')}),
    gone AS (DELETE FROM ${table} s USING m WHERE NOT (${present(sql`m`)}) AND ${matches('s', 'm')})
    INSERT INTO ${table} (${list(columns)})
    SELECT ${list(columns)} FROM m WHERE ${present(sql`m`)}
    ON CONFLICT (${list(rollup.keys)}) DO UPDATE SET ${updates}`;
}

/* ------------------------------------------------------------------------------ occurrences */

function occurrenceDelta(feed: Feed, keys: SQL[], where: SQL, withMinimum: boolean): SQL {
  const f = occurrenceFigures(sql`j`, feed.sign);
  return sql`SELECT ${sql.join(keys, sql`, `)}, sum(${f.n})::int AS occurrences, sum(${f.scored})::int AS scored,
      coalesce(sum(${f.simSum}), 0)::float8 AS similarity_sum
      ${
        withMinimum
          ? sql`, min(CASE WHEN ${feed.sign} > 0 THEN ${ratio(sql`j.similarity_score`)} END) AS added_min,
            bool_or(${feed.sign} < 0) AS removed`
          : sql``
      }
    FROM ${feed.occurrences} j WHERE ${where} GROUP BY ${sql.raw(keys.map((_, i) => String(i + 1)).join(', '))}`;
}

function occurrenceFolds(feed: Feed): SQL[] {
  const dated = sql`j.detected_at IS NOT NULL`;
  const bucket = (level: 'hourly' | 'daily') =>
    sql`${utc(sql`date_trunc(${hourOrDay(level)}, j.detected_at)`)} AS bucket`;
  const sums = sql`sum(occurrences)::int AS occurrences, sum(scored)::int AS scored,
    sum(similarity_sum)::float8 AS similarity_sum`;
  return (['hourly', 'daily'] as const).flatMap((level) => [
    foldAdditive(feed, {
      table: `occurrence_rollup_${level}`,
      keys: ['pattern_id', 'bucket'],
      sums: ['occurrences', 'scored', 'similarity_sum'],
      minimum: { column: 'similarity_min', raw: rawMinimum(level) },
      delta: occurrenceDelta(feed, [sql`j.pattern_id`, bucket(level)], dated, true),
      rebuildFrom:
        level === 'daily'
          ? sql`SELECT pattern_id, date_trunc('day', bucket) AS bucket, ${sums}, min(similarity_min) AS added_min
            FROM pattern_ledger.occurrence_rollup_hourly GROUP BY 1, 2`
          : undefined,
    }),
    foldAdditive(feed, {
      table: `occurrence_all_rollup_${level}`,
      keys: ['bucket'],
      sums: ['occurrences', 'scored', 'similarity_sum'],
      delta: occurrenceDelta(feed, [bucket(level)], dated, false),
      rebuildFrom: sql`SELECT bucket, ${sums} FROM ${sql.raw(`pattern_ledger.occurrence_rollup_${level}`)} GROUP BY 1`,
    }),
  ]);
}

/** The raw minimum of the delta row's pattern (`d`) within its bucket. */
function rawMinimum(level: 'hourly' | 'daily'): SQL {
  const step = stepOf(level);
  return sql`SELECT min(${ratio(sql`o.similarity_score`)}) FROM pattern_occurrences o
    WHERE o.pattern_id = d.pattern_id AND CASE WHEN isfinite(d.bucket)
      THEN o.detected_at >= d.bucket AND o.detected_at < d.bucket + ${step} ELSE o.detected_at = d.bucket END`;
}

/**
 * Pairs (pattern, workflow) the feed changes, with the stored count: a pair born (stored 0, now
 * above) or gone changes the pattern's distinct workflows.
 */
function pairChanges(feed: Feed): SQL {
  // A rebuild starts from no pairs at all.
  const stored = feed.rebuild
    ? sql`0`
    : sql`coalesce((SELECT s.occurrences FROM pattern_ledger.pattern_workflow_rollup s
        WHERE s.pattern_id = d.pattern_id AND s.workflow_id = d.workflow_id), 0)`;
  return sql`SELECT d.pattern_id, d.workflow_id, d.delta, ${stored} AS stored
    FROM (SELECT j.pattern_id, j.workflow_id::text AS workflow_id, sum(${feed.sign})::int AS delta
          FROM ${feed.occurrences} j GROUP BY 1, 2) d`;
}

function occurrenceTotalFold(feed: Feed): SQL {
  const f = occurrenceFigures(sql`j`, feed.sign);
  return foldAdditive(feed, {
    table: 'occurrence_rollup_total',
    keys: ['pattern_id'],
    sums: ['occurrences', 'scored', 'similarity_sum', 'undated', 'workflows'],
    minimum: {
      column: 'similarity_min',
      raw: sql`SELECT min(${ratio(sql`o.similarity_score`)}) FROM pattern_occurrences o WHERE o.pattern_id = d.pattern_id`,
    },
    delta: sql`SELECT pattern_id, sum(occurrences)::int AS occurrences, sum(scored)::int AS scored,
        sum(similarity_sum)::float8 AS similarity_sum, sum(undated)::int AS undated, sum(workflows)::int AS workflows,
        min(added_min) AS added_min, coalesce(bool_or(removed), false) AS removed
      FROM (
        SELECT j.pattern_id, ${f.n} AS occurrences, ${f.scored} AS scored, ${f.simSum} AS similarity_sum,
          ${feed.sign} * (j.detected_at IS NULL)::int AS undated, 0 AS workflows,
          CASE WHEN ${feed.sign} > 0 THEN ${ratio(sql`j.similarity_score`)} END AS added_min, ${feed.sign} < 0 AS removed
        FROM ${feed.occurrences} j
        UNION ALL
        SELECT p.pattern_id, 0, 0, 0, 0, (p.stored + p.delta > 0)::int - (p.stored > 0)::int, NULL, false
        FROM (${pairChanges(feed)}) p
      ) x GROUP BY pattern_id`,
  });
}

function pairFold(feed: Feed): SQL {
  return foldAdditive(feed, {
    table: 'pattern_workflow_rollup',
    keys: ['pattern_id', 'workflow_id'],
    sums: ['occurrences'],
    delta: sql`SELECT j.pattern_id, j.workflow_id::text AS workflow_id, sum(${feed.sign})::int AS occurrences
      FROM ${feed.occurrences} j GROUP BY 1, 2`,
  });
}

function scaleFold(feed: Feed): SQL {
  return foldAdditive(feed, {
    table: 'similarity_scale_rollup',
    keys: ['pattern_id'],
    sums: ['ratio_rows', 'percent_rows'],
    present: (m) => sql`(${m}.ratio_rows <> 0 OR ${m}.percent_rows <> 0)`,
    delta: sql`SELECT j.pattern_id, sum(${feed.sign} * ${scaleFigures.ratio(sql`j`)})::int AS ratio_rows,
        sum(${feed.sign} * ${scaleFigures.percent(sql`j`)})::int AS percent_rows
      FROM ${feed.occurrences} j WHERE j.similarity_score > 0 GROUP BY 1`,
  });
}

/* ---------------------------------------------------------------------------------- savings */

function savingsDelta(feed: Feed, keys: SQL[], where: SQL, undated: boolean): SQL {
  const f = savingsFigures(sql`j`, feed.sign);
  return sql`SELECT ${sql.join(keys, sql`, `)}, sum(${f.entries})::int AS entries, sum(${f.tokens}) AS tokens_saved,
      sum(${f.usd}) AS cost_saved_usd, sum(${f.baseline}) AS baseline_tokens, sum(${f.actual}) AS actual_tokens
      ${undated ? sql`, sum(${feed.sign} * (j.saved_at IS NULL)::int)::int AS undated` : sql``}
    FROM ${feed.savings} j WHERE ${where} GROUP BY ${sql.raw(keys.map((_, i) => String(i + 1)).join(', '))}`;
}

const SAVINGS_SUMS = [
  'entries',
  'tokens_saved',
  'cost_saved_usd',
  'baseline_tokens',
  'actual_tokens',
];

function savingsFolds(feed: Feed): SQL[] {
  const dated = sql`j.saved_at IS NOT NULL`;
  const type = sql`j.optimization_type::text AS optimization_type`;
  const bucket = (level: 'hourly' | 'daily') =>
    sql`${utc(sql`date_trunc(${hourOrDay(level)}, j.saved_at)`)} AS bucket`;
  const sums = sql.raw(
    SAVINGS_SUMS.map((name) => `sum(${name})${name === 'entries' ? '::int' : ''} AS ${name}`).join(
      ', ',
    ),
  );
  return [
    ...(['hourly', 'daily'] as const).flatMap((level) => [
      foldAdditive(feed, {
        table: `savings_rollup_${level}`,
        keys: ['bucket', 'optimization_type', 'pattern_id'],
        nullable: ['pattern_id'],
        sums: SAVINGS_SUMS,
        delta: savingsDelta(feed, [bucket(level), type, sql`j.pattern_id`], dated, false),
        rebuildFrom:
          level === 'daily'
            ? sql`SELECT date_trunc('day', bucket) AS bucket, optimization_type, pattern_id, ${sums}
              FROM pattern_ledger.savings_rollup_hourly GROUP BY 1, 2, 3`
            : undefined,
      }),
      foldAdditive(feed, {
        table: `savings_type_rollup_${level}`,
        keys: ['bucket', 'optimization_type'],
        sums: SAVINGS_SUMS,
        delta: savingsDelta(feed, [bucket(level), type], dated, false),
        rebuildFrom: sql`SELECT bucket, optimization_type, ${sums}
          FROM ${sql.raw(`pattern_ledger.savings_rollup_${level}`)} GROUP BY 1, 2`,
      }),
    ]),
    foldAdditive(feed, {
      table: 'savings_rollup_total',
      keys: ['optimization_type', 'pattern_id'],
      nullable: ['pattern_id'],
      sums: [...SAVINGS_SUMS, 'undated'],
      delta: savingsDelta(feed, [type, sql`j.pattern_id`], sql`TRUE`, true),
    }),
  ];
}

/* ------------------------------------------------------------------- workflows and defects */

const WORKFLOW_COLUMNS =
  sql.raw(`workflow_id, occurrences, patterns, first_detected, last_detected, entries,
  tokens_saved, cost_saved_usd, first_saved, last_saved, undated, has_history`);

/** The workflows a feed touches are read again from their raw rows (all of them, in a rebuild). */
function workflowFold(feed: Feed): SQL[] {
  const keys = feed.rebuild
    ? sql`(SELECT workflow_id::text AS w FROM pattern_occurrences UNION SELECT workflow_id::text FROM cost_savings_log)`
    : sql`(SELECT workflow_id::text AS w FROM ${feed.occurrences} UNION SELECT workflow_id::text FROM ${feed.savings}
        UNION SELECT key FROM ${feed.history})`;
  return [
    sql`WITH fresh AS (${workflowsFromRaw(sql`(SELECT w FROM ${keys} k WHERE w IS NOT NULL)`)}),
      gone AS (DELETE FROM pattern_ledger.workflow_rollup r USING ${keys} k
        WHERE r.workflow_id = k.w AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.workflow_id = k.w))
      INSERT INTO pattern_ledger.workflow_rollup (${WORKFLOW_COLUMNS})
      SELECT ${WORKFLOW_COLUMNS} FROM fresh
      ON CONFLICT (workflow_id) DO UPDATE SET occurrences = excluded.occurrences, patterns = excluded.patterns,
        first_detected = excluded.first_detected, last_detected = excluded.last_detected, entries = excluded.entries,
        tokens_saved = excluded.tokens_saved, cost_saved_usd = excluded.cost_saved_usd,
        first_saved = excluded.first_saved, last_saved = excluded.last_saved, undated = excluded.undated,
        has_history = excluded.has_history`,
  ];
}

const checkList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/** The defects of the rows a feed touches are evaluated again (every row's, in a rebuild). */
function defectFolds(feed: Feed): SQL[] {
  if (feed.rebuild) {
    return [
      sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
        SELECT DISTINCT unnest(${occurrenceDefects}), o.id FROM pattern_occurrences o`,
      sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
        SELECT DISTINCT unnest(${savingsDefects}), c.id FROM cost_savings_log c`,
      sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
        SELECT ${TOOL_CALL_CHECK}, c.id FROM cost_savings_log c
        WHERE c.tool_call_id IS NOT NULL AND NOT pattern_ledger.tool_call_exists(c.tool_call_id::text)`,
    ];
  }
  const occurrenceIds = sql`(SELECT id FROM ${feed.occurrences})`;
  const savingsIds = sql`(SELECT id FROM ${feed.savings})`;
  const toolCallIds = sql`(SELECT id FROM ${feed.savings} UNION SELECT c.id FROM cost_savings_log c
    WHERE c.tool_call_id IS NOT NULL AND c.tool_call_id IN (SELECT key FROM ${feed.toolCalls}))`;
  return [
    // Each (check, row) looked up by the primary key: the list holds every row of a check.
    sql`DELETE FROM pattern_ledger.data_quality_defect d
      USING (SELECT c.check_id, i.id FROM ${occurrenceIds} i, unnest(ARRAY[${checkList(OCCURRENCE_CHECKS)}]::text[]) c(check_id)
        UNION ALL SELECT c.check_id, i.id FROM ${savingsIds} i, unnest(ARRAY[${checkList(SAVINGS_CHECKS)}]::text[]) c(check_id)
        UNION ALL SELECT ${TOOL_CALL_CHECK}::text, i.id FROM ${toolCallIds} i) k
      WHERE d.check_id = k.check_id AND d.row_id = k.id`,
    sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
      SELECT unnest(${occurrenceDefects}), o.id FROM pattern_occurrences o WHERE o.id IN ${occurrenceIds}
      UNION SELECT unnest(${savingsDefects}), c.id FROM cost_savings_log c WHERE c.id IN ${savingsIds}
      UNION SELECT ${TOOL_CALL_CHECK}, c.id FROM cost_savings_log c
        WHERE c.id IN ${toolCallIds} AND c.tool_call_id IS NOT NULL AND NOT pattern_ledger.tool_call_exists(c.tool_call_id::text)
      ON CONFLICT DO NOTHING`,
  ];
}

/* ------------------------------------------------------------------------------ the folds */

const OCCURRENCE_ROLLUPS = [
  'occurrence_rollup_hourly',
  'occurrence_rollup_daily',
  'occurrence_all_rollup_hourly',
  'occurrence_all_rollup_daily',
  'occurrence_rollup_total',
  'pattern_workflow_rollup',
  'similarity_scale_rollup',
  'characteristic_rollup_hourly',
];
const SAVINGS_ROLLUPS = [
  'savings_rollup_hourly',
  'savings_rollup_daily',
  'savings_type_rollup_hourly',
  'savings_type_rollup_daily',
  'savings_rollup_total',
];

const emptied = (tables: string[]) =>
  tables.map((table) => sql.raw(`DELETE FROM pattern_ledger.${table}`));

/** The rollups each source's rows count in: emptied after a TRUNCATE (and before a rebuild). */
const ROLLUPS_OF: Record<Exclude<Source, 'workflow_history'>, SQL[]> = {
  pattern_occurrences: [
    ...emptied(OCCURRENCE_ROLLUPS),
    sql`DELETE FROM pattern_ledger.data_quality_defect WHERE check_id IN (${checkList(OCCURRENCE_CHECKS)})`,
  ],
  cost_savings_log: [
    ...emptied(SAVINGS_ROLLUPS),
    sql`DELETE FROM pattern_ledger.data_quality_defect WHERE check_id IN (${checkList([...SAVINGS_CHECKS, TOOL_CALL_CHECK])})`,
  ],
  tool_calls: [
    sql`DELETE FROM pattern_ledger.data_quality_defect WHERE check_id = ${TOOL_CALL_CHECK}`,
  ],
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
  const statements = [
    ...(occurrences
      ? [
          ...occurrenceFolds(REBUILD),
          occurrenceTotalFold(REBUILD),
          pairFold(REBUILD),
          scaleFold(REBUILD),
          ...characteristicFold(null),
        ]
      : []),
    ...(savings ? savingsFolds(REBUILD) : []),
    ...(occurrences || savings ? workflowFold(REBUILD) : []),
    ...defectsAfterTruncation({ occurrences, savings, toolCalls }),
  ];
  for (const statement of statements) await tx.execute(statement);
  // The journal rows of a truncated source are counted by the statements above already.
  if (occurrences) await tx.execute(sql`DELETE FROM ${J.occurrences}`);
  if (savings) await tx.execute(sql`DELETE FROM ${J.savings}`);
  await tx.execute(sql`DELETE FROM pattern_ledger.truncation`);
}

function defectsAfterTruncation(truncated: {
  occurrences: boolean;
  savings: boolean;
  toolCalls: boolean;
}): SQL[] {
  const [occurrences, savings, toolCalls] = defectFolds(REBUILD) as [SQL, SQL, SQL];
  return [
    ...(truncated.occurrences ? [occurrences] : []),
    ...(truncated.savings ? [savings] : []),
    ...(truncated.savings || truncated.toolCalls ? [toolCalls] : []),
  ];
}

function foldStatements(feed: Feed): SQL[] {
  return [
    ...occurrenceFolds(feed),
    // Before the pairs: the distinct workflows compare the pairs' stored counts with the feed.
    occurrenceTotalFold(feed),
    pairFold(feed),
    scaleFold(feed),
    ...characteristicFold(feed.rebuild ? null : feed.occurrences),
    ...savingsFolds(feed),
    ...workflowFold(feed),
    ...defectFolds(feed),
  ];
}

export type FoldResult = { folded: number } | { skipped: 'busy' | 'empty' };

const SERIALIZATION_FAILURE = '40001';
const LOCK_NOT_AVAILABLE = '55P03';

/** How many changes wait in the journals (cheap: they are small). */
export async function pendingChanges(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT ((SELECT count(*) FROM ${J.occurrences}) + (SELECT count(*) FROM ${J.savings})
      + (SELECT count(*) FROM ${J.history}) + (SELECT count(*) FROM ${J.toolCalls})
      + (SELECT count(*) FROM pattern_ledger.truncation))::int AS n`,
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
    for (const statement of foldStatements(FOLD)) await tx.execute(statement);
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
  ...OCCURRENCE_ROLLUPS,
  ...SAVINGS_ROLLUPS,
  'workflow_rollup',
  'data_quality_defect',
];

/**
 * After a rebuild every rollup row is new: without a VACUUM each index-only scan visits the table
 * too, and without fresh statistics the planner reads them as they were (pages took seconds).
 * Autovacuum would come to it in time; the pages should not wait for it. Only Pattern Ledger's
 * own tables, outside any transaction.
 */
async function tidyRollups(db: Database): Promise<void> {
  for (const table of REBUILT_TABLES)
    await db.execute(sql`VACUUM (ANALYZE) ${sql.raw(`pattern_ledger.${table}`)}`);
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
      for (const statement of foldStatements(REBUILD)) await tx.execute(statement);
      await deleteJournals(tx);
      await tx.execute(sql`DELETE FROM pattern_ledger.truncation`);
      await tx.execute(sql`UPDATE pattern_ledger.fold_state SET rebuilt_at = now() WHERE id = 1`);
      return 0;
    },
    options,
  );
}

async function deleteJournals(tx: Database): Promise<void> {
  for (const journal of Object.values(J)) await tx.execute(sql`DELETE FROM ${journal}`);
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
