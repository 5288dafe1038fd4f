'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState, useTransition } from 'react';
import { BacktestChart } from '@/components/charts/backtest-chart';
import { BoundField, type Binding } from '@/components/bound-field';
import { FormMessage } from '@/components/form-message';
import type { FormState } from '@/lib/action-result';
import { type BacktestPoint } from '@/lib/alerts/backtest';
import {
  ALERT_METRICS,
  chartUnit,
  EVERY_CHOICES,
  METRIC_LABELS,
  SCOPE_KINDS,
  SCOPE_LABELS,
  valueUnit,
  WINDOW_CHOICES,
  WINDOW_LABELS,
  WINDOWED_METRICS,
  type AlertMetric,
} from '@/lib/alerts/metrics';
import { OPTIMIZATION_TYPES } from '@/lib/domain';
import { backtestRule, createRule, updateRule } from './actions';

export type RuleDraft = {
  id?: number;
  name: string;
  metric: AlertMetric;
  scopeKind: string;
  scopeValue: string;
  qualityCheck: string;
  windowMinutes: string;
  compare: string;
  direction: string;
  warningThreshold: string;
  criticalThreshold: string;
  everyMinutes: string;
  channelIds: string[];
};

export const EMPTY_DRAFT: RuleDraft = {
  name: '',
  metric: 'usd_saved',
  scopeKind: 'all',
  scopeValue: '',
  qualityCheck: '',
  windowMinutes: '1440',
  compare: 'value',
  direction: 'below',
  warningThreshold: '',
  criticalThreshold: '',
  everyMinutes: '5',
  channelIds: [],
};

const CHOOSE = { value: '', label: 'Choose…' };

const SCOPE_VALUE_LABELS: Record<string, string> = {
  pattern: 'Pattern id',
  pattern_type: 'Pattern type',
  optimization_type: 'Optimization type',
};

type Backtest = { points: BacktestPoint[]; firings: number } | { error: string } | null;

/**
 * The rule form. While it is edited, the rule is backtested over the last 30 days (a second after
 * the last change), so the thresholds can be set against what the metric really did.
 */
export function RuleEditor({
  initial,
  channels,
  patternTypes,
  qualityChecks,
  tz,
  canEdit,
}: {
  initial: RuleDraft;
  channels: { id: number; name: string; kind: string }[];
  patternTypes: string[];
  qualityChecks: { id: string; title: string }[];
  tz: string;
  canEdit: boolean;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState(initial);
  const [backtest, setBacktest] = useState<Backtest>(null);
  const [testing, startTest] = useTransition();
  const save = initial.id === undefined ? createRule : updateRule;
  const [state, action, pending] = useActionState<FormState<{ id: number }>, FormData>(
    save as (
      state: FormState<{ id: number }>,
      form: FormData,
    ) => Promise<FormState<{ id: number }>>,
    null,
  );
  const error = (name: string) => state?.fieldErrors?.[name]?.join(' ') ?? '';
  const bind: Binding<RuleDraft> = {
    draft,
    change: (name, value) => setDraft((d) => ({ ...d, [name]: value })),
    error,
  };

  useEffect(() => {
    if (state?.ok && initial.id === undefined) router.push(`/alerts/${state.id}`);
  }, [state, initial.id, router]);

  const latest = useRef(0);
  useEffect(() => {
    const ask = ++latest.current;
    const timer = setTimeout(() => {
      startTest(async () => {
        const answer = await backtestRule({ ...draft, name: draft.name || 'draft' });
        if (ask !== latest.current) return;
        setBacktest(answer.ok ? answer : { error: answer.message });
      });
    }, 600);
    return () => clearTimeout(timer);
  }, [draft]);

  const windowed = WINDOWED_METRICS.includes(draft.metric);
  const unit = valueUnit(draft as never);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form action={action} className="grid gap-3" aria-label="Alert rule">
        {initial.id !== undefined ? <input type="hidden" name="id" value={initial.id} /> : null}
        <fieldset disabled={!canEdit} className="grid gap-3">
          <BoundField bind={bind} name="name" label="Name" placeholder="e.g. Savings fell" />
          <div className="grid grid-cols-2 gap-3">
            <BoundField
              bind={bind}
              name="metric"
              label="Metric"
              options={ALERT_METRICS.map((m) => ({ value: m, label: METRIC_LABELS[m] }))}
            />
            <BoundField
              bind={bind}
              name="windowMinutes"
              label="Window"
              options={WINDOW_CHOICES.map((w) => ({ value: w, label: WINDOW_LABELS[w] }))}
              disabled={!windowed}
            />
          </div>
          {draft.metric === 'quality' ? (
            <BoundField
              bind={bind}
              name="qualityCheck"
              label="Data-quality check"
              options={[CHOOSE, ...qualityChecks.map((c) => ({ value: c.id, label: c.title }))]}
            />
          ) : null}
          <div className="grid grid-cols-2 gap-3">
            <BoundField
              bind={bind}
              name="scopeKind"
              label="Scope"
              options={SCOPE_KINDS.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
            />
            {draft.scopeKind === 'all' ? null : (
              <BoundField
                bind={bind}
                name="scopeValue"
                label={SCOPE_VALUE_LABELS[draft.scopeKind]}
                options={
                  draft.scopeKind === 'optimization_type'
                    ? [CHOOSE, ...OPTIMIZATION_TYPES.map((t) => ({ value: t, label: t }))]
                    : undefined
                }
                list={draft.scopeKind === 'pattern_type' ? 'pattern-types' : undefined}
                inputMode={draft.scopeKind === 'pattern' ? 'numeric' : undefined}
              />
            )}
          </div>
          <datalist id="pattern-types">
            {patternTypes.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <div className="grid grid-cols-2 gap-3">
            <BoundField
              bind={bind}
              name="compare"
              label="Compare"
              options={[
                { value: 'value', label: 'the value' },
                ...(windowed
                  ? [{ value: 'change', label: '% change against the window before' }]
                  : []),
              ]}
            />
            <BoundField
              bind={bind}
              name="direction"
              label="Fires when"
              options={[
                { value: 'below', label: 'below the threshold' },
                { value: 'above', label: 'above the threshold' },
              ]}
            />
          </div>
          <div className="grid grid-cols-2 gap-3">
            <BoundField
              bind={bind}
              name="warningThreshold"
              label={`Warning (${unit})`}
              inputMode="decimal"
            />
            <BoundField
              bind={bind}
              name="criticalThreshold"
              label={`Critical (${unit})`}
              inputMode="decimal"
            />
          </div>
          <BoundField
            bind={bind}
            name="everyMinutes"
            label="Evaluate every"
            options={EVERY_CHOICES.map((m) => ({
              value: m,
              label: m === 60 ? 'hour' : `${m} minute${m === 1 ? '' : 's'}`,
            }))}
          />
          <fieldset className="text-xs">
            <legend className="mb-1 text-slate-600 dark:text-slate-400">Send to</legend>
            {channels.length === 0 ? (
              <p className="text-slate-500 dark:text-slate-400">
                No channels yet: an admin adds them under Admin → Channels. The rule still records
                its history.
              </p>
            ) : (
              <ul className="flex flex-wrap gap-x-4 gap-y-1">
                {channels.map((c) => (
                  <li key={c.id}>
                    <label className="inline-flex items-center gap-1.5">
                      <input
                        type="checkbox"
                        name="channelIds"
                        value={c.id}
                        checked={draft.channelIds.includes(String(c.id))}
                        onChange={(event) =>
                          setDraft((d) => ({
                            ...d,
                            channelIds: event.target.checked
                              ? [...d.channelIds, String(c.id)]
                              : d.channelIds.filter((id) => id !== String(c.id)),
                          }))
                        }
                      />
                      {c.name}{' '}
                      <span className="text-slate-500 dark:text-slate-400">({c.kind})</span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
            {error('channelIds') ? (
              <span className="text-rose-700 dark:text-rose-400">{error('channelIds')}</span>
            ) : null}
          </fieldset>
          {canEdit ? (
            <div className="flex items-center gap-3">
              <button type="submit" disabled={pending} className="button-primary">
                {pending ? 'Saving…' : initial.id === undefined ? 'Create rule' : 'Save rule'}
              </button>
              <FormMessage state={state} />
            </div>
          ) : null}
        </fieldset>
      </form>
      <section aria-labelledby="backtest-title" className="min-w-0">
        <h2 id="backtest-title" className="text-sm font-semibold">
          Backtest: the last 30 days
        </h2>
        <p
          className="mb-2 text-xs text-slate-600 dark:text-slate-400"
          aria-live="polite"
          data-testid="backtest-summary"
        >
          {!windowed
            ? 'This metric is not a sum over a window, so it has no backtest; its history builds up as it is evaluated.'
            : backtest === null || testing
              ? 'Reading the last 30 days…'
              : 'error' in backtest
                ? backtest.error
                : `Would have fired ${backtest.firings} time${backtest.firings === 1 ? '' : 's'} (read each hour; shaded where it would have fired).`}
        </p>
        {windowed && backtest && 'points' in backtest ? (
          <BacktestChart
            points={backtest.points}
            warning={draft.warningThreshold === '' ? null : Number(draft.warningThreshold)}
            critical={draft.criticalThreshold === '' ? null : Number(draft.criticalThreshold)}
            unit={unit}
            format={chartUnit(draft as never)}
            tz={tz}
          />
        ) : null}
      </section>
    </div>
  );
}
