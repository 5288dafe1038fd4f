import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { settings } from '@/server/settings';
import { currentActor } from '@/server/auth/actor';
import { DEMO_ADMIN } from '@/server/auth/demo-admin';
import { safeNext } from '@/lib/safe-next';
import type { SearchParams } from '@/lib/search-params';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const next = safeNext((await searchParams).next);
  if (await currentActor()) redirect(next);
  const demo = !settings().databaseUrl;
  return (
    <div className="mx-auto mt-10 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="mb-4 text-xl font-semibold">Sign in to Pattern Ledger</h1>
      <SignInForm next={next} />
      <div
        className="mt-6 space-y-2 text-xs text-slate-600 dark:text-slate-400"
        data-testid="no-account-help"
      >
        {demo ? (
          <p>
            This is the embedded demo. Sign in as <code>{DEMO_ADMIN.email}</code> with the password{' '}
            <code>{DEMO_ADMIN.password}</code>.
          </p>
        ) : null}
        <p>
          No account? Ask an admin of this Pattern Ledger to create one (Admin → Users). Whoever
          runs the server can create one with{' '}
          <code>npm run user:create -- --email you@example.com --role viewer</code>.
        </p>
      </div>
    </div>
  );
}
