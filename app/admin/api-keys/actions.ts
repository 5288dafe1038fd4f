'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { storableText } from '@/lib/text-safety';
import { getDb } from '@/db/client';
import { createApiKey, revokeApiKey } from '@/db/mutations/api-keys';
import { API_KEY_SCOPES } from '@/db/schema';
import { checkRole } from '@/lib/auth/actor';
import type { AdminState } from '../form-parts';

const createInput = z.object({
  name: storableText(
    z.string().trim().min(1, 'Name the key, e.g. after the agent that uses it.').max(100),
  ),
  scope: z.enum(API_KEY_SCOPES, { error: 'Choose read or write.' }),
});

/** Creates an API key (admins only); the key is in the answer, once, and never again. */
export async function createKey(_previous: AdminState, form: FormData): Promise<AdminState> {
  const caller = await checkRole('admin');
  if ('refused' in caller) return { message: caller.refused };
  const parsed = createInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const created = await createApiKey(await getDb(), {
    ...parsed.data,
    createdBy: caller.actor.email,
  });
  revalidatePath('/admin/api-keys');
  return {
    ok: true,
    message: `Created the ${parsed.data.scope} key “${parsed.data.name}” (${created.prefix}…).`,
    secret: created.key,
  };
}

const revokeInput = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** Revokes an API key for good (admins only). */
export async function revokeKey(_previous: AdminState, form: FormData): Promise<AdminState> {
  const caller = await checkRole('admin');
  if ('refused' in caller) return { message: caller.refused };
  const parsed = revokeInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { message: 'The request was malformed.' };
  const revoked = await revokeApiKey(await getDb(), parsed.data.id, caller.actor.email);
  if (!revoked) return { message: 'This key does not exist or was already revoked.' };
  revalidatePath('/admin/api-keys');
  return { ok: true, message: 'Key revoked.' };
}
