'use server';

import { randomBytes } from 'node:crypto';
import { APIError } from 'better-auth/api';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { z } from 'zod';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import { storableText } from '@/lib/text-safety';
import { roleAction } from '@/server/action';
import { getAuth } from '@/server/auth/auth';

const role = z.enum(['viewer', 'editor', 'admin'], { error: 'Choose viewer, editor or admin.' });

/** Runs one of better-auth's admin calls; its refusals (a taken email, say) are the answer. */
async function asAdmin<Done extends object>(
  call: (auth: Awaited<ReturnType<typeof getAuth>>, requestHeaders: Headers) => Promise<unknown>,
  done: ActionResult<Done>,
): Promise<ActionResult<Done>> {
  try {
    await call(await getAuth(), await headers());
  } catch (error) {
    if (error instanceof APIError) return actionFailure('invalid', error.message);
    throw error;
  }
  revalidatePath('/admin/users');
  return done;
}

const createInput = z.object({
  email: z.email('Enter an email address.'),
  name: storableText(z.string().trim().min(1, 'Enter a name.').max(100)),
  role,
  password: z.union([
    z.literal(''),
    storableText(
      z.string().min(10, 'At least 10 characters, or leave it empty to generate one.').max(200),
    ),
  ]),
});

/** Creates an account (admins only); an empty password is generated and shown once. */
export const createAccount = roleAction('admin', createInput, async (input) => {
  const password = input.password || randomBytes(18).toString('base64url');
  return asAdmin<{ secret?: string }>(
    (auth, requestHeaders) =>
      auth.api.createUser({
        body: { email: input.email, name: input.name, role: input.role, password },
        headers: requestHeaders,
      }),
    {
      ok: true,
      message: `Created ${input.email} (${input.role}).`,
      ...(input.password ? {} : { secret: password }),
    },
  );
});

const userId = storableText(z.string().min(1).max(100));

/** Changes someone's role (admins only; nobody can change their own). */
export const changeRole = roleAction('admin', z.object({ userId, role }), async (input, admin) => {
  if (input.userId === admin.id)
    return actionFailure('forbidden', 'You cannot change your own role; ask another admin.');
  return asAdmin(
    (auth, requestHeaders) =>
      auth.api.setRole({
        body: { userId: input.userId, role: input.role },
        headers: requestHeaders,
      }),
    { ok: true, message: `Role changed to ${input.role}.` },
  );
});

const disableInput = z.object({ userId, disabled: z.enum(['true', 'false']) });

/** Disables (signs out and locks) or enables an account (admins only; not their own). */
export const setDisabled = roleAction('admin', disableInput, async (input, admin) => {
  if (input.userId === admin.id)
    return actionFailure('forbidden', 'You cannot disable your own account.');
  const disable = input.disabled === 'true';
  return asAdmin(
    (auth, requestHeaders) =>
      disable
        ? auth.api.banUser({
            body: { userId: input.userId, banReason: 'Disabled by an admin' },
            headers: requestHeaders,
          })
        : auth.api.unbanUser({ body: { userId: input.userId }, headers: requestHeaders }),
    { ok: true, message: disable ? 'Account disabled.' : 'Account enabled.' },
  );
});
