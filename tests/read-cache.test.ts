import { sql } from 'drizzle-orm';
import { afterEach, expect, it, vi } from 'vitest';
import type { Database } from '@/db/client';
import { enableReadCache, readCacheStats, readRows } from '@/db/read-cache';
import { queryRows } from '@/db/sql';
import { describeEachDatabase } from './support/databases';

const patternCount = sql`SELECT count(*)::int AS n FROM operation_patterns`;
const countPatterns = async (db: Database) =>
  (await readRows<{ n: number }>(db, patternCount))[0]!.n;
const addPattern = (db: Database, signature: string) =>
  queryRows(
    db,
    sql`INSERT INTO operation_patterns (pattern_signature, pattern_type) VALUES (${signature}, 'test')`,
  );
const stats = (db: Database) => readCacheStats(db)!;

afterEach(() => vi.restoreAllMocks());

describeEachDatabase('the read cache', {}, (get, kind) => {
  it('answers a repeated read from the cache and a read after any commit from the database', async () => {
    const { db } = get();
    enableReadCache(db);
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-26T10:00:00.200Z'));
    const before = await countPatterns(db);
    const misses = stats(db).misses;
    expect(await countPatterns(db)).toBe(before);
    expect(stats(db).misses).toBe(misses);

    await addPattern(db, `cache:commit:${kind}`);
    expect(await countPatterns(db)).toBe(before + 1);
    expect(stats(db).misses).toBe(misses + 1);
  });

  it('keeps an answer for one second at most', async () => {
    const { db } = get();
    enableReadCache(db);
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-26T11:00:00.100Z'));
    await countPatterns(db);
    const misses = stats(db).misses;
    now.mockReturnValue(Date.parse('2026-11-26T11:00:00.900Z'));
    await countPatterns(db);
    expect(stats(db).misses).toBe(misses);
    now.mockReturnValue(Date.parse('2026-11-26T11:00:01.000Z'));
    await countPatterns(db);
    expect(stats(db).misses).toBe(misses + 1);
  });

  it("never shares a transaction's uncommitted rows", async () => {
    const { db } = get();
    enableReadCache(db);
    const before = await countPatterns(db);
    const rollback = new Error('roll back');
    await expect(
      db.transaction(async (tx) => {
        await addPattern(tx, `cache:rolled-back:${kind}`);
        // Inside the transaction the reader sees its own row, read directly.
        expect(await countPatterns(tx as unknown as Database)).toBe(before + 1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await countPatterns(db)).toBe(before);
  });

  it('hands each caller its own array', async () => {
    const { db } = get();
    enableReadCache(db);
    const query = sql`SELECT g AS n FROM generate_series(1, 3) g ORDER BY g`;
    const first = await readRows<{ n: number }>(db, query);
    first.reverse();
    expect((await readRows<{ n: number }>(db, query)).map((row) => row.n)).toEqual([1, 2, 3]);
  });

  if (kind === 'postgres') {
    it("sees another connection's commit, not its open transaction", async () => {
      const { db } = get();
      enableReadCache(db);
      const before = await countPatterns(db);
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      let inserted!: () => void;
      const insertDone = new Promise<void>((resolve) => (inserted = resolve));
      const writer = db.transaction(async (tx) => {
        await addPattern(tx, 'cache:other-connection');
        inserted();
        await committed;
      });
      await insertDone;
      expect(await countPatterns(db)).toBe(before);
      commit();
      await writer;
      expect(await countPatterns(db)).toBe(before + 1);
    });
  }
});
