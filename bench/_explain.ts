import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { occurrencePieces, bucketSpans } from '../db/queries/rollup';
import { bucketListQuery } from '../db/queries/time';
import { resolveTimeRange } from '../lib/time-range';
import postgres from 'postgres';
const db = postgres('postgres://postgres@127.0.0.1:5432/pl_bench', { connection: { jit: 'off' } });
const range = resolveTimeRange(
  { range: '30d', tz: process.argv[2] ?? 'UTC', granularity: 'auto' },
  new Date(),
  { min: null, max: null },
);
const d = new PgDialect();
const bl = d.sqlToQuery(bucketListQuery(range));
const buckets = (await db.unsafe(bl.sql, bl.params as never[])).map((r) => Number(r.bucket));
const spans = bucketSpans(buckets, range.from, range.to);
const q = d.sqlToQuery(
  sql`EXPLAIN (ANALYZE) SELECT key AS bucket, sum(n)::int AS count FROM ${occurrencePieces(spans)} pieces GROUP BY 1 ORDER BY 1`,
);
const text = q.sql.replace(/\$(\d+)/g, (_, n) => {
  const v = q.params[Number(n) - 1];
  return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
});
for (const r of await db.unsafe(text)) console.log(r['QUERY PLAN']);
await db.end();
