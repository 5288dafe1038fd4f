import 'server-only';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Actor = { id: string | null; name: string; role: Role };

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/**
 * Who is calling. Sign-in does not exist yet (issue #6), so the caller is the local operator of
 * a server that listens on 127.0.0.1 only; this is the one function sign-in replaces.
 */
export function currentActor(): Promise<Actor> {
  return Promise.resolve({ id: null, name: 'local operator', role: 'admin' });
}

/** The caller, if their role is at least `role`; otherwise a ForbiddenError. */
export async function requireRole(role: Role): Promise<Actor> {
  const actor = await currentActor();
  if (ROLES.indexOf(actor.role) < ROLES.indexOf(role)) {
    throw new ForbiddenError(`This needs the ${role} role; you are signed in as ${actor.role}.`);
  }
  return actor;
}
