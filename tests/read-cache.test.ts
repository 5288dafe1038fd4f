import { sql } from 'drizzle-orm';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '@/db/types';
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

describeEachDatabase('the read cache', {}, (get, kind) => {
  it('answers a repeated read from the cache and a read after any commit from the database', async () => {
    const { db } = get();
    enableReadCache(db);
    // Other tests' databases share the server, and any commit there starts a new snapshot here
    // too: a round is counted only when no other commit fell between its reads.
    const snapshot = async () =>
      (await queryRows<{ s: string }>(db, sql`SELECT pg_current_snapshot()::text AS s`))[0]!.s;
    for (let attempt = 0; ; attempt++) {
      const at = await snapshot();
      const before = await countPatterns(db);
      const misses = stats(db).misses;
      const again = await countPatterns(db);
      const hit = stats(db).misses === misses;
      if ((await snapshot()) !== at && attempt < 20) continue;
      expect(again).toBe(before);
      expect(hit).toBe(true);
      break;
    }
    const before = await countPatterns(db);
    const misses = stats(db).misses;
    await addPattern(db, `cache:commit:${kind}`);
    expect(await countPatterns(db)).toBe(before + 1);
    expect(stats(db).misses).toBeGreaterThan(misses);
  });

  it('keeps answers by the query and its parameters', async () => {
    const { db } = get();
    enableReadCache(db);
    const square = (n: number) => sql`SELECT ${n}::int * ${n}::int AS n`;
    const [four] = await readRows<{ n: number }>(db, square(2));
    const [nine] = await readRows<{ n: number }>(db, square(3));
    expect([four?.n, nine?.n]).toEqual([4, 9]);
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

describe('page reads', () => {
  it("never ask the database for the time, so that a query's text and parameters are its whole question", () => {
    const folder = path.join(process.cwd(), 'db/queries');
    const clockCalls = readdirSync(folder)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        readFileSync(path.join(folder, file), 'utf8')
          .split('\n')
          .filter((line) => !line.trim().startsWith('//') && !line.trim().startsWith('*'))
          .filter((line) =>
            /(?<![.\w])(now|clock_timestamp|statement_timestamp|transaction_timestamp)\(\)|\bcurrent_(date|time|timestamp)\b|\blocaltime(stamp)?\b/i.test(
              line,
            ),
          )
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(clockCalls).toEqual([]);
  });

  it('are not made by server actions, whose page is rendered after their write in the same request', () => {
    // The snapshot is read once per request; an action that read through the cache before
    // writing would render its page from the snapshot before its own write.
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return files(full);
        return /\.tsx?$/.test(entry.name) ? [full] : [];
      });
    const actions = [...files('app'), ...files('server'), ...files('lib')].filter((file) =>
      /^['"]use server['"]/m.test(readFileSync(file, 'utf8')),
    );
    expect(actions.length).toBeGreaterThan(3);
    const actionsReadingTheCache = actions.filter((file) =>
      /from '@\/db\/(queries\/|read-cache)/.test(readFileSync(file, 'utf8')),
    );
    expect(actionsReadingTheCache).toEqual([]);
    // What the alert actions and the evaluation read (db/alerts/) is read uncached.
    const alertReads = files('db/alerts').filter((file) =>
      /readRows|read-cache/.test(readFileSync(file, 'utf8')),
    );
    expect(alertReads).toEqual([]);
  });
});
