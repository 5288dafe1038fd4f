import { getDb } from '@/server/database';
import { recordOccurrences } from '@/db/mutations/ingest';
import { handleRoute } from '@/server/api/handle-route';
import { runBatch } from '@/server/api/batch';
import { ingestionSchemas } from '@/lib/api/ingest-schemas';

export const dynamic = 'force-dynamic';

/** Records a batch of pattern occurrences (write scope); see /api/v1/openapi.json. */
export const POST = handleRoute(async (request: Request) =>
  runBatch({
    db: await getDb(),
    request,
    endpoint: 'occurrences',
    schema: (limits) => ingestionSchemas(limits).occurrenceBatch,
    write: async (tx, batch) => {
      const written = await recordOccurrences(tx, batch.occurrences);
      return {
        inserted: written.ids.length,
        ids: written.ids,
        pattern_ids: written.patternIds,
        patterns_created: written.patternsCreated,
      };
    },
  }),
);
