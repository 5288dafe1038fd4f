'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import type { FiringCounts } from '@/lib/alerts/metrics';
import { TIME_KEYS } from '@/lib/href';

export const NAV_ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/patterns', label: 'Patterns' },
  { href: '/savings', label: 'Savings' },
  { href: '/workflows', label: 'Workflows' },
  { href: '/roi', label: 'ROI' },
  { href: '/review', label: 'Review' },
  { href: '/data-quality', label: 'Data quality' },
  { href: '/capture', label: 'Capture' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/views', label: 'Views' },
] as const;

function isActive(pathname: string, href: string) {
  // Reports sit under the alerts section (its second tab).
  if (href === '/alerts' && pathname.startsWith('/reports')) return true;
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The sections; each link keeps the current time range, zone and granularity. Alerts carries a
 * badge while rules are firing (rose with any critical, amber with warnings only). */
export function NavLinks({ firing }: { firing?: FiringCounts }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const kept = new URLSearchParams();
  for (const key of TIME_KEYS) {
    const value = searchParams.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString();
  return (
    <ul className="flex flex-wrap gap-1">
      {NAV_ITEMS.map((item) => {
        const active = isActive(pathname, item.href);
        return (
          <li key={item.href}>
            <Link
              href={query ? `${item.href}?${query}` : item.href}
              aria-current={active ? 'page' : undefined}
              className={`flex items-center rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-sky-500 ${
                active
                  ? 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white'
                  : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-900 dark:hover:text-white'
              }`}
            >
              {item.label}
              {item.href === '/alerts' && firing && firing.critical + firing.warning > 0 ? (
                <span
                  data-testid="firing-badge"
                  aria-label={`${firing.critical} critical, ${firing.warning} warning`}
                  className={`ml-1.5 inline-block min-w-5 rounded-full px-1.5 text-center text-xs font-semibold text-white ${firing.critical > 0 ? 'bg-rose-600' : 'bg-amber-600'}`}
                >
                  {firing.critical + firing.warning}
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
