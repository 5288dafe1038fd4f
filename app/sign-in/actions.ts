'use server';

import { APIError } from 'better-auth/api';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { storableText } from '@/lib/text-safety';
import { attachStatus } from '@/db/attach/status';
import { getDatabase } from '@/db/client';
import { classifyDatabaseError } from '@/db/errors';
import { parseEnv } from '@/db/env';
import { getAuth } from '@/lib/auth/server';
import { safeNext } from '@/lib/auth/safe-next';
import {
  DEVICE_COOKIE,
  deviceToken,
  isDeviceOf,
  signInFailed,
  signInSucceeded,
  signInWait,
  type Attempt,
} from '@/server/sign-in-throttle';
// Set by the server from the connection, never by the client.
import { CLIENT_HEADER } from '@/scripts/client-address.mjs';

export type SignInState = {
  message?: string;
  fieldErrors?: Record<string, string[]>;
  email?: string;
};

const signInInput = z.object({
  email: z.email('Enter the email address of your account.'),
  password: storableText(z.string().min(1, 'Enter your password.').max(200)),
  next: storableText(z.string().max(2_000)).optional(),
});

/** Whether the database answers and is migrated and attached (false when it cannot tell). */
async function databaseReady(): Promise<boolean> {
  try {
    return (await attachStatus(await getDatabase())).ready;
  } catch {
    return true;
  }
}

/**
 * Anyone may try to sign in; better-auth checks the password, and failures make the next attempts
 * from the same address (or, from a browser that never signed in to the account, any address) wait
 * longer and longer (server/sign-in-throttle.ts).
 */
export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInInput.safeParse({
    email: form.get('email'),
    password: form.get('password'),
    next: form.get('next') ?? undefined,
  });
  const email = typeof form.get('email') === 'string' ? (form.get('email') as string) : '';
  if (!parsed.success) {
    return {
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
      email,
    };
  }
  try {
    const auth = await getAuth();
    const requestHeaders = await headers();
    const secret = auth.options.secret ?? '';
    const db = (await getDatabase()).db;
    const attempt: Attempt = {
      email: parsed.data.email,
      address: requestHeaders.get(CLIENT_HEADER) ?? 'unknown',
      knownDevice: isDeviceOf(
        (await cookies()).get(DEVICE_COOKIE)?.value,
        parsed.data.email,
        secret,
      ),
    };
    const waitMs = await signInWait(db, attempt);
    if (waitMs > 0) {
      return {
        message: `Too many failed sign-ins for this account from here. Wait ${Math.ceil(waitMs / 1000)} s and try again.`,
        email,
      };
    }
    try {
      await auth.api.signInEmail({
        body: { email: parsed.data.email, password: parsed.data.password },
        headers: requestHeaders,
      });
    } catch (error) {
      if (error instanceof APIError) await signInFailed(db, attempt);
      throw error;
    }
    await signInSucceeded(db, attempt);
    (await cookies()).set(DEVICE_COOKIE, deviceToken(parsed.data.email, secret), {
      httpOnly: true,
      sameSite: 'lax',
      secure: parseEnv().authUrl?.startsWith('https://') ?? false,
      path: '/',
      maxAge: 365 * 24 * 3600,
    });
  } catch (error) {
    if (error instanceof APIError) {
      const banned = /disabled|banned/i.test(error.message);
      return { message: banned ? error.message : 'The email or password is not right.', email };
    }
    if (!(await databaseReady())) {
      return {
        message:
          'This database is not set up for Pattern Ledger yet, so nobody can sign in: an administrator runs `npm run db:migrate` (see /api/health).',
        email,
      };
    }
    if (classifyDatabaseError(error)) {
      return {
        message:
          'The database cannot be reached, so nobody can sign in right now. Try again shortly.',
        email,
      };
    }
    throw error;
  }
  redirect(safeNext(parsed.data.next));
}

/** Ends the caller's session (no role needed: it only ever affects the caller). */
export async function signOut(): Promise<void> {
  const auth = await getAuth();
  await auth.api.signOut({ headers: await headers() });
  redirect('/sign-in');
}
