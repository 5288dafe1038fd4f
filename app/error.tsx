'use client';

export default function RouteError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-rose-300 bg-rose-50 p-6 dark:border-rose-900 dark:bg-rose-950/40"
    >
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        {error.message || 'An unexpected error occurred.'}
        {error.digest ? <span className="ml-1 font-mono text-xs">(ref {error.digest})</span> : null}
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-sky-500 dark:bg-slate-100 dark:text-slate-900"
      >
        Try again
      </button>
    </div>
  );
}
