'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { TIME_KEYS } from '@/lib/href';

export const NAV_ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/patterns', label: 'Patterns' },
  { href: '/savings', label: 'Savings' },
  { href: '/workflows', label: 'Workflows' },
  { href: '/roi', label: 'ROI' },
  { href: '/review', label: 'Review' },
  { href: '/data-quality', label: 'Data quality' },
] as const;

function isActive(pathname: string, href: string) {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The sections; each link keeps the current time range, zone and granularity. */
export function NavLinks() {
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
              className={`block rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-sky-500 ${
                active
                  ? 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white'
                  : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-900 dark:hover:text-white'
              }`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
