import Link from 'next/link';
import { PAGE_SIZES } from '@/lib/url-params';
import { formatCount } from '@/lib/format';
import { hrefWith } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';

/** Previous / next, the position in the list, and a page-size choice, all as links. */
export function Pagination({
  list: { page, size, total },
  noun,
  pathname,
  current,
}: {
  /** Where the list is: its page, page size and number of rows. */
  list: { page: number; size: number; total: number };
  noun: string;
  /** The page's path and URL parameters; the links keep every parameter but page and size. */
  pathname: string;
  current: SearchParams;
}) {
  const hrefFor = (changes: { page?: number; size?: number }) =>
    hrefWith(pathname, current, {
      page: changes.page ?? null,
      ...(changes.size ? { size: changes.size } : {}),
    });
  const pages = Math.max(1, Math.ceil(total / size));
  const first = total === 0 ? 0 : Math.min((page - 1) * size + 1, total);
  const last = Math.min(page * size, total);
  const linkClass = 'button-outline';
  const disabledClass =
    'rounded-md border border-slate-200 px-2.5 py-1 text-slate-400 dark:border-slate-800 dark:text-slate-600';
  return (
    <nav
      aria-label="Pagination"
      className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm"
    >
      <p className="text-slate-600 dark:text-slate-400" data-testid="pagination-status">
        {total === 0
          ? `No ${noun}`
          : page > pages
            ? `Page ${page} is past the end: ${formatCount(total)} ${noun} fill ${pages} ${pages === 1 ? 'page' : 'pages'}`
            : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} ${noun}`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-slate-600 dark:text-slate-400">Rows</span>
        <ul className="flex gap-1" aria-label="Rows per page">
          {PAGE_SIZES.map((option) => (
            <li key={option}>
              <Link
                href={hrefFor({ size: option, page: 1 })}
                aria-current={option === size ? 'true' : undefined}
                className={`${linkClass} ${option === size ? 'bg-slate-200 font-medium dark:bg-slate-800' : ''}`}
                scroll={false}
              >
                {option}
              </Link>
            </li>
          ))}
        </ul>
        {page > 1 ? (
          <Link
            href={hrefFor({ page: Math.min(page - 1, pages) })}
            className={linkClass}
            rel="prev"
            scroll={false}
          >
            Previous
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            Previous
          </span>
        )}
        <span className="tabular-nums text-slate-600 dark:text-slate-400">
          Page {Math.min(page, pages)} of {pages}
        </span>
        {page < pages ? (
          <Link href={hrefFor({ page: page + 1 })} className={linkClass} rel="next" scroll={false}>
            Next
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
