import Link from 'next/link';

/** A row of tabs under a page's header: links, the current one underlined. */
export function TabNav({
  label,
  tabs,
  current,
}: {
  label: string;
  tabs: readonly { href: string; label: string }[];
  current: string;
}) {
  return (
    <nav aria-label={label} className="mb-4 border-b border-slate-200 dark:border-slate-800">
      <ul className="flex gap-1">
        {tabs.map((tab) => {
          const active = current === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? 'page' : undefined}
                className={`-mb-px block border-b-2 px-3 py-2 text-sm font-medium ${
                  active
                    ? 'border-sky-600 text-slate-900 dark:text-white'
                    : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
