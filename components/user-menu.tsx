import Link from 'next/link';
import { signOut } from '@/app/sign-in/actions';
import { currentActor } from '@/lib/auth/actor';

/** Who is signed in, with their role, the admin link for admins, and sign-out. */
export async function UserMenu() {
  const actor = await currentActor();
  if (!actor) return null;
  return (
    <div className="flex items-center gap-3 text-xs" data-testid="user-menu">
      {actor.role === 'admin' ? (
        <Link
          href="/admin/users"
          className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Admin
        </Link>
      ) : null}
      <span className="text-slate-600 dark:text-slate-400">
        <span className="hidden 2xl:inline">{actor.email} · </span>
        <span data-testid="user-role" title={actor.email}>
          {actor.role}
        </span>
      </span>
      <form action={signOut}>
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Sign out
        </button>
      </form>
    </div>
  );
}
