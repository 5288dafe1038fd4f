import Link from 'next/link';

const TABS = [
  { href: '/alerts', label: 'Rules' },
  { href: '/reports', label: 'Reports' },
] as const;

/** Rules and reports: the two halves of being told. */
export function AlertsTabs({ current }: { current: '/alerts' | '/reports' }) {
  return (
    <nav
      aria-label="Alerts and reports"
      className="mb-4 border-b border-slate-200 dark:border-slate-800"
    >
      <ul className="flex gap-1">
        {TABS.map((tab) => (
          <li key={tab.href}>
            <Link
              href={tab.href}
              aria-current={current === tab.href ? 'page' : undefined}
              className={`-mb-px block border-b-2 px-3 py-2 text-sm font-medium ${
                current === tab.href
                  ? 'border-sky-600 text-slate-900 dark:text-white'
                  : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
