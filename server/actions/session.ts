'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { roleAction } from '../action';
import { getAuth } from '../auth/auth';

/** Ends the caller's session (no role needed: it only ever affects the caller). */
export const signOut = roleAction('anyone', z.unknown(), async () => {
  const auth = await getAuth();
  await auth.api.signOut({ headers: await headers() });
  redirect('/sign-in');
});
