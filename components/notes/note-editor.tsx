'use client';

import { useEffect, useId, useRef, useState, useTransition } from 'react';
import { saveNote } from '@/server/actions/notes';
import { NOTE_MAX_LENGTH, normalizeNote } from '@/lib/notes';

type Failure = { message: string; current?: string | null; conflict: boolean };

/**
 * A savings entry's note, editable in place. The save carries the note as it was when editing
 * started; if someone changed it meanwhile the save is refused and their text is shown for a merge.
 * Notes are plain text: line breaks kept, markup shown as typed.
 */
export function NoteEditor({
  id,
  initial,
  canEdit = true,
}: {
  id: number;
  initial: string | null;
  canEdit?: boolean;
}) {
  const [note, setNote] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [expected, setExpected] = useState<string | null>(initial);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [pending, startTransition] = useTransition();
  const [confirmClear, setConfirmClear] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  // After Escape, Cancel or Save, focus goes back to the Edit button, not to the page body.
  const returnFocus = useRef(false);
  const fieldId = useId();
  const length = normalizeNote(draft).length;
  const tooLong = length > NOTE_MAX_LENGTH;

  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  function stopEditing() {
    returnFocus.current = true;
    setConfirmClear(false);
    setEditing(false);
  }

  function startEditing() {
    setDraft(note ?? '');
    setExpected(note);
    setFailure(null);
    setEditing(true);
    requestAnimationFrame(() => textarea.current?.focus());
  }

  function save() {
    if (tooLong) return;
    // An empty save clears the note: asked once before it happens.
    if (length === 0 && note && !confirmClear) {
      setConfirmClear(true);
      return;
    }
    startTransition(async () => {
      const result = await saveNote({ id, expected, note: draft });
      if (result.ok) {
        setNote(result.notes);
        stopEditing();
        setFailure(null);
        setAnnouncement(result.notes === null ? 'Note cleared.' : 'Note saved.');
        return;
      }
      // Keep what was typed; on a conflict, the next save knowingly replaces their version.
      if (result.kind === 'conflict') {
        setExpected(result.current ?? null);
        setNote(result.current ?? null);
      }
      setFailure({
        message: result.message,
        current: result.current,
        conflict: result.kind === 'conflict',
      });
    });
  }

  if (!editing) {
    return (
      <div className="group flex items-start gap-2" data-testid="note" data-entry-id={id}>
        {note ? (
          <p className="whitespace-pre-wrap break-words text-xs" data-testid="note-text">
            {note}
          </p>
        ) : (
          <span className="text-xs text-slate-500 dark:text-slate-400">—</span>
        )}
        {canEdit ? (
          <button
            ref={editButton}
            type="button"
            onClick={startEditing}
            className="shrink-0 rounded px-1.5 py-0.5 text-xs text-sky-700 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400 dark:hover:bg-sky-950"
            aria-label={`${note ? 'Edit' : 'Add'} note for savings entry ${id}`}
          >
            {note ? 'Edit' : 'Add note'}
          </button>
        ) : null}
        <span className="sr-only" aria-live="polite">
          {announcement}
        </span>
      </div>
    );
  }

  return (
    <form
      className="flex min-w-64 flex-col gap-1.5"
      data-testid="note-editor"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label htmlFor={fieldId} className="sr-only">
        Note for savings entry {id}
      </label>
      <textarea
        id={fieldId}
        ref={textarea}
        value={draft}
        rows={3}
        onChange={(event) => {
          setDraft(event.target.value);
          setConfirmClear(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') stopEditing();
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) save();
        }}
        aria-invalid={failure && !failure.conflict ? true : undefined}
        aria-describedby={`${fieldId}-count ${fieldId}-error`}
        className="field w-full text-xs"
      />
      <div className="flex items-center justify-between gap-2 text-xs">
        <span
          id={`${fieldId}-count`}
          className={
            length > NOTE_MAX_LENGTH
              ? 'text-rose-700 dark:text-rose-400'
              : 'text-slate-500 dark:text-slate-400'
          }
        >
          {length.toLocaleString('en-US')} / {NOTE_MAX_LENGTH.toLocaleString('en-US')}
        </span>
        <span className="flex gap-1.5">
          <button
            type="button"
            onClick={stopEditing}
            className="rounded px-2 py-0.5 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending || tooLong}
            className="rounded bg-slate-900 px-2 py-0.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900"
          >
            {pending ? 'Saving…' : confirmClear ? 'Clear note' : 'Save'}
          </button>
        </span>
      </div>
      <div id={`${fieldId}-error`} aria-live="assertive">
        {confirmClear ? (
          <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="confirm-clear">
            The note is empty: saving clears it. Press Clear note to confirm, or type to keep it.
          </p>
        ) : null}
        {tooLong ? (
          <p role="alert" className="text-xs text-rose-700 dark:text-rose-400">
            A note can be at most {NOTE_MAX_LENGTH.toLocaleString('en-US')} characters.
          </p>
        ) : null}
        {failure ? (
          <div
            role="alert"
            className="rounded-md border border-rose-300 bg-rose-50 p-2 text-xs text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200"
          >
            <p>{failure.message}</p>
            {failure.conflict ? (
              <>
                <p className="mt-1 font-medium">Their version:</p>
                <p
                  className="mt-0.5 whitespace-pre-wrap break-words rounded bg-white/60 p-1 dark:bg-black/30"
                  data-testid="conflict-current"
                >
                  {failure.current ?? '(no note)'}
                </p>
                <button
                  type="button"
                  className="mt-1 underline"
                  onClick={() => setDraft(failure.current ?? '')}
                >
                  Use their version
                </button>
              </>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}
