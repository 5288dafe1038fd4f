/** Downloads the table as CSV with the current filters and sort (all pages). */
export function ExportLink({ href, label = 'Download CSV' }: { href: string; label?: string }) {
  return (
    <a
      href={href}
      download
      className="mb-3 inline-flex items-center gap-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      <span aria-hidden>⤓</span> {label}
    </a>
  );
}
