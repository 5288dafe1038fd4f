import { Card } from '@/components/card';
import type { CaptureSourceRow, CaptureStatus, InPlaceSource } from '@/db/queries/capture';
import { SOURCE_LABELS } from '@/lib/capture/event';
import { formatCount, formatDateTime } from '@/lib/format';
import { SourceSwitch } from './capture-forms';

function inPlaceNote(name: 'hook_events' | 'task_logs', source: InPlaceSource) {
  if (!source.readable) return `no ${name} table with the columns capture reads`;
  if (!source.enabled) return 'turned off';
  return source.waiting > 0
    ? `${formatCount(source.waiting)} rows still to read (from id ${formatCount(source.cursor)})`
    : `read up to id ${formatCount(source.cursor)}`;
}

/** Each source with its events in the range, in the last hour, and its latest event. */
export function SourceTable({
  sources,
  status,
  admin,
  tz,
}: {
  sources: CaptureSourceRow[];
  status: CaptureStatus;
  admin: boolean;
  tz: string;
}) {
  return (
    <Card title="Sources" className="min-w-0 xl:col-span-2" testId="capture-sources">
      <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        {sources.map((row) => {
          const inPlace =
            row.source === 'hook_events'
              ? status.hookEvents
              : row.source === 'task_logs'
                ? status.taskLogs
                : null;
          return (
            <li
              key={row.source}
              className="flex flex-wrap items-baseline gap-x-4 gap-y-1 py-2"
              data-source={row.source}
            >
              <span className="min-w-48 flex-1 font-medium">{SOURCE_LABELS[row.source]}</span>
              <span className="tabular-nums" data-testid="source-events">
                {formatCount(row.events)} events
              </span>
              <span className="text-xs text-slate-600 tabular-nums dark:text-slate-400">
                {formatCount(row.lastHour)} in the last hour · last{' '}
                {row.lastEventAt === null ? 'never' : formatDateTime(row.lastEventAt, tz)}
              </span>
              {inPlace ? (
                <span className="basis-full text-xs text-slate-600 dark:text-slate-400">
                  {inPlaceNote(row.source as 'hook_events' | 'task_logs', inPlace)}
                  {admin && inPlace.readable ? (
                    <SourceSwitch
                      source={row.source as 'hook_events' | 'task_logs'}
                      enabled={inPlace.enabled}
                    />
                  ) : null}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400" data-testid="capture-status">
        {formatCount(status.pending)} events waiting for the rules · last step{' '}
        {status.lastRunAt === null ? 'not yet' : formatDateTime(status.lastRunAt, tz)}
        {status.lastError ? (
          <span className="block text-rose-700 dark:text-rose-400">
            Last problem ({formatDateTime(status.lastErrorAt, tz)}): {status.lastError}
          </span>
        ) : null}
      </p>
    </Card>
  );
}
