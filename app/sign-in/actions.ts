'use server';

import { APIError } from 'better-auth/api';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { actionFailure } from '@/lib/action-result';
import { roleAction } from '@/server/action';
import { storableText } from '@/lib/text-safety';
import { attachStatus } from '@/db/setup/status';
import { getDatabase } from '@/server/database';
import { classifyDatabaseError } from '@/db/errors';
import { settings } from '@/server/settings';
import { getAuth, PUBLISHED_PASSWORD_REFUSED } from '@/server/auth/auth';
import { safeNext } from '@/lib/safe-next';
import * as throttle from '@/server/sign-in-throttle';

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
export const signIn = roleAction('anyone', signInInput, async (input) => {
  const again = { values: { email: input.email } };
  try {
    const auth = await getAuth();
    const requestHeaders = await headers();
    const secret = auth.options.secret ?? '';
    const db = (await getDatabase()).db;
    const attempt = throttle.attemptFrom(input.email, requestHeaders, secret);
    const waitMs = await throttle.signInWait(db, attempt);
    if (waitMs > 0) return actionFailure('forbidden', throttle.waitMessage(waitMs), again);
    try {
      await auth.api.signInEmail({
        body: { email: input.email, password: input.password },
        headers: requestHeaders,
      });
    } catch (error) {
      if (error instanceof APIError) await throttle.signInFailed(db, attempt);
      throw error;
    }
    await throttle.signInSucceeded(db, attempt);
    (await cookies()).set(throttle.DEVICE_COOKIE, throttle.deviceToken(input.email, secret), {
      httpOnly: true,
      sameSite: 'lax',
      secure: settings().authUrl?.startsWith('https://') ?? false,
      path: '/',
      maxAge: 365 * 24 * 3600,
    });
  } catch (error) {
    if (error instanceof APIError) {
      // Said as it is: a disabled account, or the demo's published password; any other
      // refusal is the same words, so they tell nobody which of email and password was wrong.
      const said =
        /disabled|banned/i.test(error.message) || error.message === PUBLISHED_PASSWORD_REFUSED;
      return actionFailure(
        'forbidden',
        said ? error.message : 'The email or password is not right.',
        again,
      );
    }
    if (!(await databaseReady())) {
      return actionFailure(
        'error',
        'This database is not set up for Pattern Ledger yet, so nobody can sign in: an administrator runs `npm run db:migrate` (see /api/health).',
        again,
      );
    }
    if (classifyDatabaseError(error)) {
      return actionFailure(
        'error',
        'The database cannot be reached, so nobody can sign in right now. Try again shortly.',
        again,
      );
    }
    throw error;
  }
  redirect(safeNext(input.next));
});
