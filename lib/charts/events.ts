/**
 * Events on time charts: notes written on savings entries and review decisions, marked on the
 * bucket they fall in. Hovering the bucket shows what happened (the newest few, and how many).
 */
import type { ChartData } from './prepare';

export type ChartEvent = { at: number; kind: 'note' | 'review'; text: string };

/** Events described in a tooltip per bucket; the rest are counted. */
export const EVENTS_SHOWN = 3;

/**
 * Adds `events` (how many) and `eventText` (the newest few, one per line) to each point whose
 * bucket holds an event: a bucket runs from its start to the next one's (the last to the range's
 * end, `to`). Events outside every bucket are left out.
 */
export function withEvents(data: ChartData, events: readonly ChartEvent[], to: number): ChartData {
  if (events.length === 0 || data.points.length === 0) return data;
  const starts = data.points.map((point) => point.bucket);
  const held = new Map<number, ChartEvent[]>();
  for (const event of events) {
    if (event.at < starts[0]! || event.at >= to) continue;
    let index = starts.length - 1;
    while (index > 0 && starts[index]! > event.at) index--;
    const list = held.get(index) ?? [];
    list.push(event);
    held.set(index, list);
  }
  const points = data.points.map((point, index) => {
    const list = held.get(index);
    if (!list) return point;
    const newest = [...list].sort((a, b) => b.at - a.at);
    const lines = newest.slice(0, EVENTS_SHOWN).map(describe);
    if (newest.length > EVENTS_SHOWN) lines.push(`and ${newest.length - EVENTS_SHOWN} more`);
    return { ...point, events: list.length, eventText: lines.join('\n') };
  });
  return { ...data, points };
}

function describe(event: ChartEvent): string {
  const text = event.text.length > 120 ? `${event.text.slice(0, 119)}…` : event.text;
  return `${event.kind === 'note' ? 'Note' : 'Review'}: ${text}`;
}

/** Review decisions as events (those without a time are left out). */
export function reviewEvents(
  reviews: readonly {
    reviewedAt: number | null;
    action: string;
    newStatus: string | null;
    note: string | null;
    reviewedBy: string;
  }[],
): ChartEvent[] {
  return reviews.flatMap((review) =>
    review.reviewedAt === null
      ? []
      : [
          {
            at: review.reviewedAt,
            kind: 'review' as const,
            text: `${review.action}${review.newStatus ? ` → ${review.newStatus}` : ''} by ${review.reviewedBy}${review.note ? `: ${review.note}` : ''}`,
          },
        ],
  );
}
