import { sql } from 'drizzle-orm';
import { getDatabase } from '@/db/client';

export const dynamic = 'force-dynamic';

/** Readiness: opens (and on first start migrates and seeds) the database, then pings it. */
export async function GET() {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`SELECT 1`);
    return Response.json({ status: 'ok', database: database.kind });
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503 });
  }
}
