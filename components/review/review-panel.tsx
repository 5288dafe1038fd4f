'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { submitReview } from '@/server/actions/review';
import { AUTOMATION_STATUSES, type ReviewAction } from '@/lib/domain';
import { REVIEW_NOTE_MAX_LENGTH } from '@/lib/review';

type Message = { tone: 'ok' | 'error'; text: string };

const button =
  'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500';

const TONES = {
  approve: 'bg-emerald-700 text-white hover:bg-emerald-800',
  reject: 'bg-rose-700 text-white hover:bg-rose-800',
  neutral:
    'border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800',
};

const ACTION_BUTTON_LABELS: Record<ReviewAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  comment: 'Comment',
  set_status: 'Set status',
};

export const REVIEW_SHORTCUTS = [
  ['a', 'approve'],
  ['r', 'reject (write the reason first)'],
  ['c', 'comment'],
] as const;

export function savedMessage(
  signature: string,
  status: string | null,
  action: ReviewAction,
): string {
  const now = status ?? 'without status';
  return action === 'comment'
    ? `Comment saved on ${signature} (still ${now}).`
    : `Saved: ${signature} is ${now}.`;
}

/** Whether a key press is a plain key outside text fields, i.e. may be a shortcut. */
export function isShortcutKey(event: KeyboardEvent): boolean {
  const target = event.target;
  const typing =
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  return !(event.ctrlKey || event.metaKey || event.altKey || typing);
}

/**
 * Approve, reject (with a reason), comment or set any known status. The review applies only if
 * nobody reviewed the pattern since this panel was shown (`version`); otherwise it says so and
 * the page shows the new state, keeping the typed note.
 */
export function ReviewPanel({
  patternId,
  signature,
  version,
  currentStatus,
  shortcuts = false,
  onReviewed,
}: {
  patternId: number;
  signature: string;
  version: string;
  /** Preselected for "Set status", so pressing it without looking changes nothing. */
  currentStatus: string | null;
  shortcuts?: boolean;
  /** Told of each saved review, e.g. by the queue, whose panel goes when its pattern leaves. */
  onReviewed?: (review: { signature: string; status: string | null; action: ReviewAction }) => void;
}) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<string>(
    AUTOMATION_STATUSES.find((known) => known === currentStatus) ?? 'candidate',
  );
  const [message, setMessage] = useState<Message | null>(null);
  const [pending, startTransition] = useTransition();
  const noteRef = useRef<HTMLTextAreaElement>(null);

  function send(action: ReviewAction) {
    if ((action === 'reject' || action === 'comment') && note.trim() === '') {
      setMessage({
        tone: 'error',
        text: action === 'reject' ? 'Say why the pattern is rejected.' : 'Write the comment.',
      });
      noteRef.current?.focus();
      return;
    }
    startTransition(async () => {
      const result = await submitReview({
        patternId,
        action,
        status: action === 'set_status' ? status : undefined,
        note,
        expectedVersion: version,
      });
      if (result.ok) {
        setNote('');
        // In the queue, the queue says it (once); on a pattern's page, the panel does.
        if (onReviewed) onReviewed({ signature, status: result.status, action });
        else setMessage({ tone: 'ok', text: savedMessage(signature, result.status, action) });
      } else {
        setMessage({ tone: 'error', text: result.message });
      }
      // Both after a save and after a conflict, show the pattern as it is now.
      router.refresh();
    });
  }

  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });
  useEffect(() => {
    if (!shortcuts) return;
    function onKey(event: KeyboardEvent) {
      if (!isShortcutKey(event)) return;
      const action = ({ a: 'approve', r: 'reject', c: 'comment' } as const)[event.key];
      if (!action) return;
      event.preventDefault();
      sendRef.current(action);
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shortcuts]);

  const reviewButton = (action: ReviewAction, tone: keyof typeof TONES, title?: string) => (
    <button
      type="button"
      disabled={pending}
      onClick={() => send(action)}
      className={`${button} ${TONES[tone]}`}
      title={title}
    >
      {ACTION_BUTTON_LABELS[action]}
    </button>
  );
  return (
    <div className="space-y-2" data-testid="review-panel">
      <label className="block text-xs">
        <span className="text-slate-600 dark:text-slate-400">
          Review note (needed to reject or comment)
        </span>
        <textarea
          ref={noteRef}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur();
          }}
          maxLength={REVIEW_NOTE_MAX_LENGTH}
          rows={3}
          className="mt-1 w-full field"
        />
      </label>
      <div className="flex flex-wrap items-center gap-2">
        {reviewButton('approve', 'approve')}
        {reviewButton('reject', 'reject', 'Sets the status to deprecated')}
        {reviewButton('comment', 'neutral')}
        <span className="mx-1 h-5 w-px bg-slate-300 dark:bg-slate-700" aria-hidden />
        <label className="flex items-center gap-1 text-xs">
          <span className="text-slate-600 dark:text-slate-400">Status</span>
          <select
            value={status}
            onChange={(event) => setStatus(event.target.value)}
            className="field"
          >
            {AUTOMATION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        {reviewButton('set_status', 'neutral')}
      </div>
      <p
        role="status"
        aria-live="polite"
        className={`min-h-4 text-xs ${message?.tone === 'ok' ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}
      >
        {pending ? 'Saving…' : message?.text}
      </p>
    </div>
  );
}
