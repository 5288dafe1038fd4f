import Link from 'next/link';
import { getReadDb } from '@/server/database';
import { getRecordingState } from '@/db/queries/overview';
import { formatCount } from '@/lib/format';

/**
 * Said plainly when no occurrence has been recorded at all: every figure counts rows, and a
 * database whose writer fails (the reference system's does, on PostgreSQL) has stored counters
 * but no rows. Says how to send them.
 */
export async function NoOccurrences() {
  const state = await getRecordingState(await getReadDb());
  if (state.occurrences > 0) return null;
  return (
    <section
      className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
      data-testid="no-occurrences"
    >
      <h2 className="font-semibold">No occurrence has been recorded yet</h2>
      <p className="mt-1">
        {state.patterns > 0 ? (
          <>
            <code>operation_patterns</code> holds {formatCount(state.patterns)} patterns whose
            stored counters add up to {formatCount(state.storedCount)} matches, but{' '}
            <code>pattern_occurrences</code> has no row.{' '}
          </>
        ) : (
          <>The tracking tables are empty. </>
        )}
        The figures below count rows, so they read zero. The reference system&apos;s writer (
        <code>record_pattern_occurrence</code>) is SQLite code and fails on PostgreSQL. What the
        agents did is on record all the same: point their Claude Code hooks or telemetry at Pattern
        Ledger, or let it read a <code>hook_events</code> table in place, on the{' '}
        <Link href="/capture" className="underline">
          Capture
        </Link>{' '}
        page, and the rules there fill these tables with no change to the agents. Or send
        occurrences and savings through the ingestion API, with a key from{' '}
        <Link href="/admin/api-keys" className="underline">
          Admin → API keys
        </Link>
        :
      </p>
      <pre className="mt-2 overflow-x-auto rounded bg-white/70 p-2 text-xs dark:bg-black/30">
        {`curl -sS "$PATTERN_LEDGER_URL/api/v1/occurrences" \\
  -H "Authorization: Bearer $PATTERN_LEDGER_KEY" -H 'Content-Type: application/json' \\
  -d '{"occurrences": [{"pattern_signature": "test:pytest:backend",
        "workflow_id": "adw-1a2b3c4d", "similarity_score": 100.0}]}'`}
      </pre>
      <p className="mt-2">
        The API&apos;s description:{' '}
        <a href="/api/v1/openapi.json" className="underline">
          /api/v1/openapi.json
        </a>
        .
      </p>
    </section>
  );
}
