import 'server-only';
import {
  classifyDatabaseError,
  databaseErrorInfo,
  DATABASE_NOT_MIGRATED,
  DATABASE_TIMEOUT,
} from '@/db/errors';

/**
 * Wraps a route handler: a database that cannot be reached (or lacks the tables) becomes a 503
 * with a plain message; any other failure a 500 without details. Neither carries a stack trace.
 */
export function handleRoute<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      const database = classifyDatabaseError(error);
      if (database) {
        console.error(`[pattern-ledger] ${database.message}`, database.cause);
        return Response.json(
          {
            error:
              database.digest === DATABASE_NOT_MIGRATED
                ? 'The database has no Pattern Ledger tables; run npm run db:migrate.'
                : database.digest === DATABASE_TIMEOUT
                  ? 'The database took too long to answer; try a shorter time range.'
                  : 'The database cannot be reached.',
          },
          { status: 503 },
        );
      }
      // A value of the request the database refused (class 22, data exception): the request's
      // fault, said as such, never a 500.
      const info = databaseErrorInfo(error);
      if (info.code?.startsWith('22')) {
        return Response.json(
          { error: `The database refused a value of the request: ${info.message}` },
          { status: 400 },
        );
      }
      console.error('[pattern-ledger] request failed:', error);
      return Response.json({ error: 'Internal error.' }, { status: 500 });
    }
  };
}
