import Link from 'next/link';

/** A column header that sorts by its key: first click descending, a second click flips it. */
export function SortHeader({
  label,
  sortKey,
  current,
  direction,
  hrefFor,
  align = 'right',
}: {
  label: string;
  sortKey: string;
  current: string;
  direction: 'asc' | 'desc';
  hrefFor: (sort: string, dir: 'asc' | 'desc') => string;
  align?: 'left' | 'right';
}) {
  const active = current === sortKey;
  const next = active && direction === 'desc' ? 'asc' : 'desc';
  return (
    <th
      scope="col"
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`px-1.5 py-2 font-medium whitespace-nowrap ${align === 'right' ? 'text-right' : 'text-left'}`}
    >
      <Link
        href={hrefFor(sortKey, next)}
        className="inline-flex items-center gap-1 rounded hover:text-sky-700 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:text-sky-400"
        scroll={false}
      >
        {label}
        <span aria-hidden className={active ? '' : 'opacity-30'}>
          {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
        <span className="sr-only">
          {active ? `, sorted ${direction === 'asc' ? 'ascending' : 'descending'}` : ''}, sort{' '}
          {next === 'asc' ? 'ascending' : 'descending'}
        </span>
      </Link>
    </th>
  );
}
