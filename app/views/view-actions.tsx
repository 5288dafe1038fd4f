'use client';

import { useState } from 'react';
import {
  deleteViewAction,
  pinViewAction,
  renameViewAction,
  shareViewAction,
  unpinViewAction,
} from '@/server/actions/views';
import { ActionMessage, ConfirmDeleteForm, useAdminForm } from '../admin/form-parts';

/** A view's buttons: pin, and for its owner rename, share and delete. */
export function ViewActions({
  id,
  name,
  mine,
  shared,
  pinned,
}: {
  id: number;
  name: string;
  mine: boolean;
  shared: boolean;
  pinned: boolean;
}) {
  const pin = useAdminForm(pinned ? unpinViewAction : pinViewAction);
  const share = useAdminForm(shareViewAction);
  const rename = useAdminForm(renameViewAction);
  const remove = useAdminForm(deleteViewAction);
  // The rename field stays open from its click until a rename goes through (or Escape).
  const [renameOpened, setRenameOpened] = useState<{ at: typeof rename.state } | null>(null);
  const renaming = renameOpened !== null && (rename.state === renameOpened.at || !rename.state?.ok);
  const hidden = <input type="hidden" name="id" value={id} />;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <form action={pin.action}>
        {hidden}
        <button
          type="submit"
          disabled={pin.pending}
          className="button-outline px-2 text-xs"
          aria-label={`${pinned ? 'Unpin' : 'Pin'} ${name} ${pinned ? 'from' : 'to'} the overview`}
        >
          {pinned ? 'Unpin' : 'Pin'}
        </button>
      </form>
      {mine ? (
        <>
          <form action={share.action}>
            {hidden}
            <input type="hidden" name="shared" value={shared ? 'false' : 'true'} />
            <button
              type="submit"
              disabled={share.pending}
              className="button-outline px-2 text-xs"
              aria-label={`${shared ? 'Make private' : 'Share'} ${name}`}
            >
              {shared ? 'Make private' : 'Share'}
            </button>
          </form>
          {renaming ? (
            <form action={rename.action} className="flex items-center gap-1">
              {hidden}
              <input
                name="name"
                defaultValue={name}
                maxLength={80}
                required
                aria-label={`New name for ${name}`}
                className="field w-40 py-0.5 text-xs"
                onKeyDown={(event) => {
                  if (event.key === 'Escape') setRenameOpened(null);
                }}
                autoFocus
              />
              <button
                type="submit"
                disabled={rename.pending}
                className="button-primary px-2 text-xs"
              >
                Rename
              </button>
            </form>
          ) : (
            <button
              type="button"
              className="button-outline px-2 text-xs"
              onClick={() => setRenameOpened({ at: rename.state })}
              aria-label={`Rename ${name}`}
            >
              Rename
            </button>
          )}
          <ConfirmDeleteForm
            action={remove.action}
            pending={remove.pending}
            question={`Delete the view “${name}”?`}
            label={`Delete ${name}`}
          >
            {hidden}
          </ConfirmDeleteForm>
        </>
      ) : null}
      <div className="basis-full text-right">
        <ActionMessage state={pin.state ?? share.state ?? rename.state ?? remove.state} />
      </div>
    </div>
  );
}
