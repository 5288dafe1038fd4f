import Link from 'next/link';
import { signOut } from '@/server/actions/session';
import { currentActor } from '@/server/auth/actor';

// Signing out ends in a redirect; the form ignores the answer an action gives otherwise.
const signOutForm = signOut as unknown as (form: FormData) => Promise<void>;

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
      <span className="flex items-center gap-1.5 text-slate-600 dark:text-slate-400">
        <span className="hidden 2xl:inline">{actor.email}</span>
        <span className="sr-only">, role </span>
        <span
          data-testid="user-role"
          title={`Signed in as ${actor.email}, role ${actor.role}`}
          className="badge bg-slate-100 font-normal text-slate-700 dark:bg-slate-800 dark:text-slate-300"
        >
          {actor.role}
        </span>
      </span>
      <form action={signOutForm}>
        <button type="submit" className="button-outline px-2">
          Sign out
        </button>
      </form>
    </div>
  );
}
