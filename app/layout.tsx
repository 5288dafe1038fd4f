import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { NavLinks } from '@/components/nav-links';
import { ThemeScript } from '@/components/theme-script';
import { ThemeSwitcher } from '@/components/theme-switcher';
import { CollapsibleNav } from '@/components/collapsible-nav';
import { ReplicaNote } from './replica-note';
import { UserMenu } from './user-menu';
import { isSignedIn } from '@/server/auth/actor';
import { firingCounts } from '@/server/alerts/firing';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Pattern Ledger', template: '%s · Pattern Ledger' },
  description: 'Pattern-learning and cost-savings dashboard for AI developer workflows.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const signedIn = await isSignedIn();
  const firing = signedIn ? await firingCounts() : undefined;
  // proxy.ts sets a nonce per request; the page's CSP runs only scripts that carry it.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript nonce={nonce} />
      </head>
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm dark:focus:bg-slate-900"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <Link
              href="/"
              className="flex items-center gap-2 text-base font-semibold tracking-tight"
            >
              <span
                aria-hidden
                className="inline-block h-5 w-5 rounded bg-gradient-to-br from-sky-500 to-emerald-500"
              />
              Pattern Ledger
            </Link>
            <CollapsibleNav>
              <nav aria-label="Main" className="md:flex-1">
                {signedIn ? (
                  <Suspense fallback={null}>
                    <NavLinks firing={firing} />
                  </Suspense>
                ) : null}
              </nav>
              {signedIn ? <UserMenu /> : null}
              <ThemeSwitcher />
            </CollapsibleNav>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
          {signedIn ? (
            <Suspense fallback={null}>
              <ReplicaNote />
            </Suspense>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
}
