import { getDb } from '@/server/database';
import { logSavings } from '@/db/mutations/ingest';
import { handleRoute } from '@/server/api/handle-route';
import { runBatch } from '@/server/api/batch';
import { ingestionSchemas } from '@/lib/api/ingest-schemas';

export const dynamic = 'force-dynamic';

/** Logs a batch of savings entries (write scope); see /api/v1/openapi.json. */
export const POST = handleRoute(async (request: Request) =>
  runBatch({
    db: await getDb(),
    request,
    endpoint: 'savings',
    schema: (limits) => ingestionSchemas(limits).savingsBatch,
    write: async (tx, batch) => {
      const written = await logSavings(tx, batch.savings);
      return 'issues' in written ? written : { inserted: written.ids.length, ids: written.ids };
    },
  }),
);
