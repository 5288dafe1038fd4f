'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { formatClock } from '@/lib/format';

/**
 * Keeps a page live: every `seconds` it asks whether the data's version moved and, only then,
 * reloads the page's data in place (charts keep their frames, so nothing flickers or jumps).
 * It waits while the tab is hidden and looks once as soon as it is shown again.
 */
export function LiveRefresh({
  seconds,
  version,
  tz,
}: {
  seconds: number;
  version: string;
  tz: string;
}) {
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const shown = useRef(version);

  useEffect(() => {
    shown.current = version;
    // The page's data arrived with this version (first render or a reload).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setUpdatedAt(Date.now());
  }, [version]);

  useEffect(() => {
    let busy = false;
    const look = async () => {
      if (busy || document.visibilityState === 'hidden') return;
      busy = true;
      try {
        const response = await fetch('/api/live', { cache: 'no-store' });
        if (!response.ok) throw new Error(String(response.status));
        const { version: latest } = (await response.json()) as { version: string };
        setFailed(false);
        if (latest !== shown.current) startTransition(() => router.refresh());
      } catch {
        setFailed(true);
      } finally {
        busy = false;
      }
    };
    const timer = window.setInterval(() => void look(), seconds * 1000);
    const onShow = () => {
      if (document.visibilityState === 'visible') void look();
    };
    document.addEventListener('visibilitychange', onShow);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onShow);
    };
  }, [seconds, router]);

  return (
    <p
      className="text-xs text-slate-600 tabular-nums dark:text-slate-400"
      data-testid="live-status"
      aria-live="polite"
    >
      {updatedAt === null ? 'Live' : `Updated ${formatClock(updatedAt, tz)}`}
      {failed ? ' · cannot reach the server, retrying' : null}
    </p>
  );
}
