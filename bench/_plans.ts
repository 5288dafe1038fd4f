import postgres from 'postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { leaderboardQuery } from '../db/queries/patterns';
import { resolveTimeRange } from '../lib/time-range';
import { parseLeaderboardParams } from '../lib/leaderboard-params';
const db = postgres('postgres://postgres@127.0.0.1:5432/pl_bench', { connection: { jit: 'off' } });
for (const preset of ['all', '30d'] as const) {
  const range = resolveTimeRange(
    { range: preset, tz: 'UTC', granularity: 'auto' },
    new Date('2026-11-25T12:00:00Z'),
    { min: new Date('2025-11-01'), max: new Date('2026-11-01') },
  );
  const q = new PgDialect().sqlToQuery(
    leaderboardQuery(range, parseLeaderboardParams({ size: '10' }), { limit: 10, offset: 0 }),
  );
  const text = q.sql.replace(/\$(\d+)/g, (_, n) => {
    const v = q.params[Number(n) - 1];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
  await db.unsafe('EXPLAIN (ANALYZE) ' + text);
  console.log('==== ' + preset);
  for (const r of await db.unsafe('EXPLAIN (ANALYZE) ' + text)) console.log(r['QUERY PLAN']);
}
await db.end();
