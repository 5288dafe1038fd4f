import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { csvHeader, csvLine, type CsvColumn } from '@/lib/csv';
import type { Database } from './types';
import { queryRows } from './sql';

const BATCH = 2_000;

/**
 * A CSV download streamed from a server-side cursor: rows are fetched in batches only as fast as
 * the client reads, so an export of millions of rows never sits in memory. On embedded PGlite the
 * export's transaction holds the database until it finishes.
 */
export async function csvResponse<T extends Record<string, unknown>>(
  db: Database,
  query: SQL,
  columns: readonly CsvColumn<T>[],
  filename: string,
): Promise<Response> {
  const encoder = new TextEncoder();
  let wake: (() => void) | null = null;
  let cancelled = false;
  // Answer only once the cursor exists, so a failing query is a proper error, not a cut-off file.
  let declared!: () => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    declared = resolve;
    failed = reject;
  });
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // A byte-order mark so spreadsheet programs read the file as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvHeader(columns)}`));
        db.transaction(async (tx) => {
          await queryRows(tx, sql`DECLARE csv_export NO SCROLL CURSOR FOR ${query}`);
          declared();
          while (!cancelled) {
            const rows = await queryRows<T>(
              tx,
              sql`FETCH ${sql.raw(String(BATCH))} FROM csv_export`,
            );
            if (rows.length === 0) break;
            controller.enqueue(encoder.encode(rows.map((row) => csvLine(row, columns)).join('')));
            while (!cancelled && (controller.desiredSize ?? 1) <= 0) {
              await new Promise<void>((resolve) => (wake = resolve));
            }
          }
          await tx.execute(sql`CLOSE csv_export`);
        }).then(
          () => {
            if (!cancelled) controller.close();
          },
          (error: unknown) => {
            failed(error);
            console.error('[pattern-ledger] CSV export failed:', error);
            if (!cancelled)
              controller.error(new Error('The export failed part-way; the file is incomplete.'));
          },
        );
      },
      pull() {
        wake?.();
        wake = null;
      },
      cancel() {
        cancelled = true;
        wake?.();
        wake = null;
      },
    },
    { highWaterMark: 4 },
  );
  await ready;
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
