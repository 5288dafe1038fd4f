'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '@/db/mutations/api-keys';
import { API_KEY_SCOPES } from '@/db/schema';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import { storableText } from '@/lib/text-safety';
import { roleAction } from '@/server/action';
import { getDb } from '@/server/database';

const createInput = z.object({
  name: storableText(
    z.string().trim().min(1, 'Name the key, e.g. after the agent that uses it.').max(100),
  ),
  scope: z.enum(API_KEY_SCOPES, { error: 'Choose read, write or capture.' }),
});

/** Creates an API key (admins only); the key is in the answer, once, and never again. */
export const createKey = roleAction(
  'admin',
  createInput,
  async (input, actor): Promise<ActionResult<{ secret: string }>> => {
    const created = await createApiKey(await getDb(), { ...input, createdBy: actor.email });
    revalidatePath('/admin/api-keys');
    return {
      ok: true,
      message: `Created the ${input.scope} key “${input.name}” (${created.prefix}…).`,
      secret: created.key,
    };
  },
);

const notAKey = { error: 'The request was malformed: that is not a key id.' };
const revokeInput = z.object({
  id: z.coerce.number(notAKey).int(notAKey).positive(notAKey).max(Number.MAX_SAFE_INTEGER, notAKey),
});

/** Revokes an API key for good (admins only). */
export const revokeKey = roleAction('admin', revokeInput, async ({ id }, actor) => {
  const revoked = await revokeApiKey(await getDb(), id, actor.email);
  if (!revoked)
    return actionFailure('not_found', 'This key does not exist or was already revoked.');
  revalidatePath('/admin/api-keys');
  return { ok: true, message: 'Key revoked.' };
});
