'use server';

import { randomBytes } from 'node:crypto';
import { APIError } from 'better-auth/api';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { z } from 'zod';
import { storableText } from '@/lib/text-safety';
import { checkRole } from '@/lib/auth/actor';
import { getAuth } from '@/lib/auth/server';
import type { AdminState } from '../form-parts';

const role = z.enum(['viewer', 'editor', 'admin'], { error: 'Choose viewer, editor or admin.' });

function failure(error: unknown): AdminState {
  if (error instanceof APIError) return { message: error.message };
  throw error;
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
export async function createAccount(_previous: AdminState, form: FormData): Promise<AdminState> {
  const caller = await checkRole('admin');
  if ('refused' in caller) return { message: caller.refused };
  const parsed = createInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const password = parsed.data.password || randomBytes(18).toString('base64url');
  try {
    const auth = await getAuth();
    await auth.api.createUser({
      body: { email: parsed.data.email, name: parsed.data.name, role: parsed.data.role, password },
      headers: await headers(),
    });
  } catch (error) {
    return failure(error);
  }
  revalidatePath('/admin/users');
  return {
    ok: true,
    message: `Created ${parsed.data.email} (${parsed.data.role}).`,
    ...(parsed.data.password ? {} : { secret: password }),
  };
}

const userId = storableText(z.string().min(1).max(100));
const changeInput = z.object({ userId, role });

/** Changes someone's role (admins only; nobody can change their own). */
export async function changeRole(_previous: AdminState, form: FormData): Promise<AdminState> {
  const caller = await checkRole('admin');
  if ('refused' in caller) return { message: caller.refused };
  const admin = caller.actor;
  const parsed = changeInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { message: parsed.error.issues.map((i) => i.message).join(' ') };
  if (parsed.data.userId === admin.id)
    return { message: 'You cannot change your own role; ask another admin.' };
  try {
    const auth = await getAuth();
    await auth.api.setRole({
      body: { userId: parsed.data.userId, role: parsed.data.role },
      headers: await headers(),
    });
  } catch (error) {
    return failure(error);
  }
  revalidatePath('/admin/users');
  return { ok: true, message: `Role changed to ${parsed.data.role}.` };
}

const disableInput = z.object({
  userId,
  disabled: z.enum(['true', 'false']),
});

/** Disables (signs out and locks) or enables an account (admins only; not their own). */
export async function setDisabled(_previous: AdminState, form: FormData): Promise<AdminState> {
  const caller = await checkRole('admin');
  if ('refused' in caller) return { message: caller.refused };
  const admin = caller.actor;
  const parsed = disableInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { message: 'The request was malformed.' };
  if (parsed.data.userId === admin.id) return { message: 'You cannot disable your own account.' };
  try {
    const auth = await getAuth();
    const requestHeaders = await headers();
    if (parsed.data.disabled === 'true') {
      await auth.api.banUser({
        body: { userId: parsed.data.userId, banReason: 'Disabled by an admin' },
        headers: requestHeaders,
      });
    } else {
      await auth.api.unbanUser({ body: { userId: parsed.data.userId }, headers: requestHeaders });
    }
  } catch (error) {
    return failure(error);
  }
  revalidatePath('/admin/users');
  return {
    ok: true,
    message: parsed.data.disabled === 'true' ? 'Account disabled.' : 'Account enabled.',
  };
}
