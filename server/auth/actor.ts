import 'server-only';
import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { classifyDatabaseError, DatabaseUnavailableError } from '@/db/errors';
import { getAuth } from './auth';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Actor = { id: string; name: string; email: string; role: Role };

export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
  constructor() {
    super('Sign in first.');
  }
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** A stored role outside the three known ones grants the least: viewer. */
export function roleOf(value: unknown): Role {
  return ROLES.find((role) => role === value) ?? 'viewer';
}

export function hasRole(actor: Pick<Actor, 'role'>, needed: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);
}

/** Who is calling, from the session cookie of this request (once per request); null if nobody. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  let session;
  try {
    const auth = await getAuth();
    session = await auth.api.getSession({ headers: await headers() });
  } catch (error) {
    // A session better-auth ended while reading it (past its absolute lifetime): nobody.
    if (error instanceof APIError && error.statusCode === 401) return null;
    // A session cannot be checked without the database: show the database page, not a crash.
    throw (
      classifyDatabaseError(error) ??
      new DatabaseUnavailableError('The session could not be checked.', undefined, { cause: error })
    );
  }
  if (!session) return null;
  return {
    id: session.user.id,
    name: session.user.name,
    email: session.user.email,
    role: roleOf((session.user as { role?: unknown }).role),
  };
});

/** For server actions: the caller if their role is at least `role`, else an error to report. */
export async function requireRole(role: Role): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new UnauthenticatedError();
  if (!hasRole(actor, role)) {
    throw new ForbiddenError(`This needs the ${role} role; you are signed in as ${actor.role}.`);
  }
  return actor;
}

/** For the layout: whether someone is signed in; false when that cannot be known right now. */
export async function isSignedIn(): Promise<boolean> {
  try {
    return (await currentActor()) !== null;
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return false;
    throw error;
  }
}

/** For pages: anonymous callers go to sign-in, too-low roles get the forbidden page. */
export async function requirePageRole(role: Role): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect('/sign-in');
  if (!hasRole(actor, role)) forbidden();
  return actor;
}

/** For route handlers: the caller, or the 401/403 response to send instead. */
export async function requireRouteRole(role: Role): Promise<Actor | Response> {
  const actor = await currentActor();
  if (!actor) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  if (!hasRole(actor, role)) {
    return Response.json({ error: `This needs the ${role} role.` }, { status: 403 });
  }
  return actor;
}

/** For server actions that answer with a message: the caller, or why they may not act. */
export async function checkRole(role: Role): Promise<{ actor: Actor } | { refused: string }> {
  try {
    return { actor: await requireRole(role) };
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) {
      return { refused: error.message };
    }
    throw error;
  }
}
