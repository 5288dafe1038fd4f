/**
 * Vitest's global setup: with a PostgreSQL test server and pgbouncer installed, one PgBouncer in
 * transaction mode in front of it for the whole run (TEST_PGBOUNCER_URL), so that the page,
 * ingestion and note suites run through it as well (describeEachDatabase's `pooled`).
 */
import { PGBOUNCER, startPgBouncer } from './pgbouncer';

export default async function setup(): Promise<(() => void) | undefined> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server || !PGBOUNCER) return undefined;
  const bouncer = await startPgBouncer(server);
  process.env.TEST_PGBOUNCER_URL = bouncer.through(server);
  return () => bouncer.stop();
}
