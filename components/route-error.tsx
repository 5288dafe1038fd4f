'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { DATABASE_NOT_MIGRATED, DATABASE_TIMEOUT, DATABASE_UNAVAILABLE } from '@/db/errors';

const RETRY_SECONDS = 10;

/**
 * Every route's error boundary. A database that cannot be reached gets its own page that says
 * what to check and retries by itself, so the app recovers without a restart once it is back.
 */
export function RouteError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const database =
    error.digest === DATABASE_UNAVAILABLE ||
    error.digest === DATABASE_NOT_MIGRATED ||
    error.digest === DATABASE_TIMEOUT;
  const [countdown, setCountdown] = useState(RETRY_SECONDS);

  function retry() {
    startTransition(() => {
      router.refresh();
      reset();
    });
  }

  useEffect(() => {
    if (error.digest !== DATABASE_UNAVAILABLE) return;
    const timer = setInterval(() => {
      setCountdown((left) => {
        if (left > 1) return left - 1;
        retry();
        return RETRY_SECONDS;
      });
    }, 1000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error.digest]);

  return (
    <div
      role="alert"
      data-testid={database ? 'database-error' : 'route-error'}
      className="rounded-lg border border-rose-300 bg-rose-50 p-6 dark:border-rose-900 dark:bg-rose-950/40"
    >
      {error.digest === DATABASE_TIMEOUT ? (
        <>
          <h1 className="text-lg font-semibold">The database took too long</h1>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            A query for this page ran past the statement timeout (
            <code>DB_STATEMENT_TIMEOUT_MS</code>, 15 s by default) and was cancelled, so that slow
            pages cannot pile up. Try a shorter time range; for large databases see{' '}
            <code>docs/performance.md</code>.
          </p>
        </>
      ) : error.digest === DATABASE_NOT_MIGRATED ? (
        <>
          <h1 className="text-lg font-semibold">The database has no Pattern Ledger tables</h1>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            Pattern Ledger reached the database, but the tracking tables are missing. Apply the
            migrations with <code>npm run db:migrate</code> (with the same <code>DATABASE_URL</code>
            ), then try again. Existing tables and rows are left as they are.
          </p>
        </>
      ) : database ? (
        <>
          <h1 className="text-lg font-semibold">The database cannot be reached</h1>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            Pattern Ledger could not run its queries. What to check:
          </p>
          <ul className="mt-2 list-disc pl-5 text-sm text-slate-700 dark:text-slate-300">
            <li>
              With <code>DATABASE_URL</code>: that the PostgreSQL server it names is running and
              accepts connections, and that the user, password and database name are right.
            </li>
            <li>
              Without it (embedded PGlite): that no other process (a second <code>npm run dev</code>
              or <code>db:seed</code>) holds the data directory.
            </li>
            <li>The server log, which names the exact error.</li>
          </ul>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
            {pending ? 'Retrying…' : `Retrying in ${countdown} s.`}
          </p>
        </>
      ) : (
        <>
          <h1 className="text-lg font-semibold">This page could not be loaded</h1>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            Something went wrong while building this page. Try again; if it keeps failing, the
            server log has the details.
          </p>
        </>
      )}
      {error.digest ? (
        <p className="mt-2 font-mono text-xs text-slate-500 dark:text-slate-400">
          ref {error.digest}
        </p>
      ) : null}
      <button
        type="button"
        onClick={retry}
        disabled={pending}
        className="mt-4 rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900"
      >
        Try again now
      </button>
    </div>
  );
}
