/**
 * What the agents' tables are, to prove that Pattern Ledger changed none of it: an md5 of every row
 * and the type of every column, per table; and, separately, what is attached to them (indexes and
 * triggers), to prove that detaching leaves exactly what was there before.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/types';
import { queryRows } from '@/db/sql';

export async function fingerprint(db: Database): Promise<Record<string, string>> {
  const tables = await queryRows<{ table: string; columns: string }>(
    db,
    sql`SELECT c.relname AS "table",
        string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
          ', ' ORDER BY a.attnum) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind = 'r' GROUP BY c.relname ORDER BY 1`,
  );
  const result: Record<string, string> = {};
  for (const { table, columns } of tables) {
    const [rows] = await queryRows<{ md5: string; n: number }>(
      db,
      sql.raw(`SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5, count(*)::int AS n
        FROM public."${table}" t`),
    );
    result[table] = `${columns} | ${rows!.n} rows ${rows!.md5}`;
  }
  return result;
}

/** Indexes, triggers and constraints on the agents' tables, by name and definition. */
export async function attachments(db: Database): Promise<string[]> {
  const rows = await queryRows<{ item: string }>(
    db,
    sql`SELECT 'index ' || indexname || ': ' || indexdef AS item FROM pg_indexes WHERE schemaname = 'public'
      UNION ALL
      SELECT 'trigger ' || c.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal
      UNION ALL
      SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL
      SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
      UNION ALL
      SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      ORDER BY 1`,
  );
  return rows.map((row) => row.item);
}
