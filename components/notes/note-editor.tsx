'use client';

import { useId, useRef, useState, useTransition } from 'react';
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
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fieldId = useId();
  const length = normalizeNote(draft).length;

  function startEditing() {
    setDraft(note ?? '');
    setExpected(note);
    setFailure(null);
    setEditing(true);
    requestAnimationFrame(() => textarea.current?.focus());
  }

  function save() {
    startTransition(async () => {
      const result = await saveNote({ id, expected, note: draft });
      if (result.ok) {
        setNote(result.notes);
        setEditing(false);
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
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setEditing(false);
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
            onClick={() => setEditing(false)}
            className="rounded px-2 py-0.5 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending}
            className="rounded bg-slate-900 px-2 py-0.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900"
          >
            {pending ? 'Saving…' : 'Save'}
          </button>
        </span>
      </div>
      <div id={`${fieldId}-error`} aria-live="assertive">
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
