'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { ISO_DATE_INPUT } from './iso-date';
import {
  GRANULARITIES,
  PRESET_LABELS,
  RANGE_PRESETS,
  REFRESH_CHOICES,
  type GranularityChoice,
  type RefreshChoice,
  type TimeParams,
} from '@/lib/time-range';

const COMMON_ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
];

const GRANULARITY_LABELS: Record<GranularityChoice, string> = {
  auto: 'Auto',
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
  month: 'Month',
};

const REFRESH_LABELS: Record<RefreshChoice, string> = {
  off: 'Off',
  '10s': 'Every 10 s',
  '30s': 'Every 30 s',
  '1m': 'Every minute',
  '5m': 'Every 5 minutes',
};

/**
 * The one time control every page uses: preset or custom range, granularity, display zone and
 * live refresh, all kept in the URL. Changing it returns to the first page of any table.
 */

export function TimeRangeControl({
  value,
  shownGranularity,
}: {
  value: TimeParams;
  shownGranularity: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  const [custom, setCustom] = useState(value.range === 'custom');
  const [from, setFrom] = useState(value.from?.slice(0, 10) ?? '');
  const [to, setTo] = useState(value.to?.slice(0, 10) ?? '');

  useEffect(() => {
    // Only known in the browser; added after hydration so server and client render alike.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);

  function navigate(changes: Record<string, string | null>) {
    const params = new URLSearchParams(searchParams.toString());
    params.delete('page');
    for (const [key, v] of Object.entries(changes)) {
      if (v === null || v === '') params.delete(key);
      else params.set(key, v);
    }
    const query = params.toString();
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname));
  }

  const zones = [...new Set([...COMMON_ZONES, value.tz, ...(browserZone ? [browserZone] : [])])];

  return (
    <div
      className="flex flex-wrap items-end gap-2 text-sm"
      data-testid="time-range-control"
      aria-busy={pending}
    >
      <LabelledSelect
        label="Time range"
        value={custom ? 'custom' : value.range}
        onChange={(next) => {
          if (next === 'custom') {
            setCustom(true);
            return;
          }
          setCustom(false);
          navigate({ range: next === '30d' ? null : next, from: null, to: null });
        }}
        options={[...RANGE_PRESETS, 'custom' as const].map((preset) => ({
          value: preset,
          label: PRESET_LABELS[preset],
        }))}
      />
      {custom ? (
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (from) navigate({ range: 'custom', from, to: to || null });
          }}
        >
          <label className="flex flex-col gap-0.5">
            <span className="text-xs text-slate-600 dark:text-slate-400">From</span>
            <input
              {...ISO_DATE_INPUT}
              required
              className="field w-32"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label className="flex flex-col gap-0.5">
            <span className="text-xs text-slate-600 dark:text-slate-400">To (inclusive)</span>
            <input
              {...ISO_DATE_INPUT}
              className="field w-32"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button
            type="submit"
            className="rounded-md bg-slate-900 px-3 py-1 text-sm text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
          >
            Apply
          </button>
        </form>
      ) : null}
      <LabelledSelect
        label="Granularity"
        value={value.granularity}
        onChange={(next) => navigate({ granularity: next === 'auto' ? null : next })}
        options={GRANULARITIES.map((g) => ({
          value: g,
          label: g === 'auto' ? `Auto (${shownGranularity})` : GRANULARITY_LABELS[g],
        }))}
      />
      <LabelledSelect
        label="Time zone"
        value={value.tz}
        onChange={(next) => navigate({ tz: next === 'UTC' ? null : next })}
        options={zones.map((zone) => ({
          value: zone,
          label: zone === browserZone && zone !== 'UTC' ? `${zone} (browser)` : zone,
        }))}
      />
      <label
        className="flex items-center gap-1.5 self-center pt-4"
        title={
          value.range === 'all'
            ? 'All time has no previous period'
            : 'Draw the period of equal length before this one, dashed'
        }
      >
        <input
          // Follows the URL: a new key when it changes, the click's state until then.
          key={`${value.range}-${String(value.compare)}`}
          type="checkbox"
          defaultChecked={Boolean(value.compare) && value.range !== 'all'}
          disabled={value.range === 'all'}
          onChange={(event) => navigate({ compare: event.target.checked ? 'previous' : null })}
        />
        <span>Compare</span>
      </label>
      <LabelledSelect
        label="Refresh"
        value={value.refresh ?? 'off'}
        onChange={(next) => navigate({ refresh: next === 'off' ? null : next })}
        options={REFRESH_CHOICES.map((choice) => ({
          value: choice,
          label: REFRESH_LABELS[choice],
        }))}
      />
    </div>
  );
}

/** One of the control's menus: its label over a select that acts on change. */
function LabelledSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="flex flex-col gap-0.5">
      <span className="text-xs text-slate-600 dark:text-slate-400">{label}</span>
      <select className="field" value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
