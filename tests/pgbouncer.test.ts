/**
 * Pattern Ledger behind PgBouncer in transaction mode (Debian's pgbouncer, started here in front
 * of TEST_DATABASE_URL's server): pages' reads, an ingestion batch, a note's compare-and-set and a
 * fold all work with connections shared per transaction. Skipped without pgbouncer or a server.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { compareAndSetNote } from '@/db/mutations/notes';
import { recordOccurrences } from '@/db/mutations/ingest';
import { getLeaderboard } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { foldChanges } from '@/db/rollups/runner';
import { queryRows } from '@/db/sql';
import type { DatabaseHandle } from '@/db/types';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { createTestDatabase, type TestDatabase } from './support/databases';
import { PGBOUNCER, startPgBouncer, type RunningPgBouncer } from './support/pgbouncer';

const available = Boolean(PGBOUNCER && process.env.TEST_DATABASE_URL);

describe.skipIf(!available)('behind PgBouncer in transaction mode', () => {
  let direct: TestDatabase;
  let pooled: DatabaseHandle;
  let bouncer: RunningPgBouncer;

  beforeAll(async () => {
    direct = await createTestDatabase('postgres', { seed: true });
    bouncer = await startPgBouncer(direct.url!);
    pooled = await openDatabase({
      kind: 'postgres',
      url: bouncer.through(direct.url!),
      poolMax: 8,
      statementTimeoutMs: 15_000,
      pooler: 'pgbouncer',
    });
  });

  afterAll(async () => {
    await pooled?.close();
    bouncer?.stop();
    await direct?.dispose();
  });

  it('answers the leaderboard exactly as a direct connection does', async () => {
    const params = parseLeaderboardParams({ range: 'all' });
    const [through, straight] = await Promise.all([
      resolvePageRange(pooled.db, { range: 'all' }).then((range) =>
        getLeaderboard(pooled.db, range, params),
      ),
      resolvePageRange(direct.db, { range: 'all' }).then((range) =>
        getLeaderboard(direct.db, range, params),
      ),
    ]);
    expect(through.total).toBeGreaterThan(0);
    expect(through).toEqual(straight);
  });

  it('records a batch in one transaction, and a fold takes it into the rollups', async () => {
    const before = await queryRows<{ n: number }>(
      direct.db,
      sql`SELECT count(*)::int AS n FROM pattern_occurrences`,
    );
    await pooled.db.transaction(async (tx) =>
      recordOccurrences(
        tx as never,
        Array.from({ length: 20 }, (_, i) => ({
          pattern_signature: 'bouncer:test:all',
          workflow_id: `adw-bouncer-${i % 3}`,
          similarity_score: 0.9,
        })),
      ),
    );
    const after = await queryRows<{ n: number }>(
      direct.db,
      sql`SELECT count(*)::int AS n FROM pattern_occurrences`,
    );
    expect(after[0]!.n - before[0]!.n).toBe(20);
    const fold = await foldChanges(pooled.db);
    expect('folded' in fold && fold.folded).toBeGreaterThan(0);
    const [total] = await queryRows<{ n: number }>(
      direct.db,
      sql`SELECT t.occurrences::int AS n FROM pattern_ledger.occurrence_rollup_total t
        JOIN operation_patterns op ON op.id = t.pattern_id WHERE op.pattern_signature = 'bouncer:test:all'`,
    );
    expect(total?.n).toBe(20);
  });

  it('saves a note with its compare-and-set, and refuses a stale one', async () => {
    const [entry] = await queryRows<{ id: number; notes: string | null }>(
      direct.db,
      sql`SELECT id, notes FROM cost_savings_log ORDER BY id LIMIT 1`,
    );
    const saved = await compareAndSetNote(pooled.db, {
      id: entry!.id,
      expected: entry!.notes,
      next: 'Through the pooler.',
      changedBy: 'tests',
    });
    expect(saved.status).toBe('saved');
    const stale = await compareAndSetNote(pooled.db, {
      id: entry!.id,
      expected: entry!.notes,
      next: 'Lost update.',
      changedBy: 'tests',
    });
    expect(stale.status).toBe('conflict');
  });
});
