'use server';

import { revalidatePath } from 'next/cache';
import {
  deleteView,
  insertView,
  pinView,
  renameView,
  setViewShared,
  unpinView,
  type ViewWrite,
} from '@/db/mutations/views';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import {
  MAX_PINS,
  MAX_VIEWS_PER_PERSON,
  renameViewInput,
  saveViewInput,
  shareViewInput,
  VIEW_PARAMS_VERSION,
  viewIdInput,
  viewPageOf,
  viewParamsFromQuery,
} from '@/lib/saved-views';
import { notStored, roleAction } from '../action';
import { getDb } from '../database';

const GONE = 'This view no longer exists, or it is not yours to change.';

function answer(result: ViewWrite, done: string, name?: string): ActionResult<{ id?: number }> {
  switch (result.status) {
    case 'ok':
      revalidatePath('/views');
      revalidatePath('/');
      return { ok: true, message: done, id: result.id };
    case 'duplicate':
      return actionFailure('conflict', `You already have a view named “${name}”.`, {
        fieldErrors: { name: ['You already have a view with this name.'] },
      });
    case 'limit':
      return actionFailure('invalid', `You have ${MAX_VIEWS_PER_PERSON} views; delete one first.`);
    default:
      return actionFailure('not_found', GONE);
  }
}

async function stored(what: string, write: () => Promise<ActionResult<{ id?: number }>>) {
  try {
    return await write();
  } catch (error) {
    return notStored(what, error);
  }
}

/** Saves the page the person is on (its path and query) under a name. Viewers and up. */
export const saveViewAction = roleAction(
  'viewer',
  saveViewInput,
  async ({ name, path, query, shared }, actor) => {
    const page = viewPageOf(path);
    if (!page) return actionFailure('invalid', 'This page cannot be saved as a view.');
    const params = viewParamsFromQuery(query);
    if (typeof params === 'string')
      return actionFailure('invalid', params, { fieldErrors: { query: [params] } });
    return stored('The view', async () =>
      answer(
        await insertView(await getDb(), {
          ownerId: actor.id,
          name,
          page,
          paramsVersion: VIEW_PARAMS_VERSION,
          params,
          shared,
        }),
        `Saved “${name}”${shared ? ', shared with everyone' : ''}.`,
        name,
      ),
    );
  },
);

export const renameViewAction = roleAction('viewer', renameViewInput, async ({ id, name }, actor) =>
  stored('The name', async () =>
    answer(await renameView(await getDb(), actor.id, id, name), `Renamed to “${name}”.`, name),
  ),
);

export const shareViewAction = roleAction('viewer', shareViewInput, async ({ id, shared }, actor) =>
  stored('The view', async () =>
    answer(
      await setViewShared(await getDb(), actor.id, id, shared),
      shared ? 'Shared with everyone.' : 'Private again.',
    ),
  ),
);

export const deleteViewAction = roleAction('viewer', viewIdInput, async ({ id }, actor) =>
  stored('The deletion', async () =>
    answer(await deleteView(await getDb(), actor.id, id), 'View deleted.'),
  ),
);

export const pinViewAction = roleAction('viewer', viewIdInput, async ({ id }, actor) =>
  stored('The pin', async () => {
    const result = await pinView(await getDb(), actor.id, id);
    if (result.status === 'limit')
      return actionFailure('invalid', `You can pin ${MAX_PINS} views; unpin one first.`);
    return answer(result, 'Pinned to the overview.');
  }),
);

export const unpinViewAction = roleAction('viewer', viewIdInput, async ({ id }, actor) =>
  stored('The pin', async () => answer(await unpinView(await getDb(), actor.id, id), 'Unpinned.')),
);
