'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState, useTransition } from 'react';
import { BacktestChart } from '@/components/alerts/backtest-chart';
import { FormField } from '@/components/form-field';
import { FormMessage } from '@/components/form-message';
import type { FormState } from '@/lib/action-result';
import {
  ALERT_METRICS,
  EVERY_CHOICES,
  METRIC_LABELS,
  SCOPE_KINDS,
  SCOPE_LABELS,
  valueUnit,
  WINDOW_CHOICES,
  WINDOW_LABELS,
  WINDOWED_METRICS,
  type AlertMetric,
  type BacktestPoint,
} from '@/lib/alerts';
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
  const set = (name: keyof RuleDraft) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: event.target.value }));

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
  const field = 'field w-full';
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form action={action} className="grid gap-3" aria-label="Alert rule">
        {initial.id !== undefined ? <input type="hidden" name="id" value={initial.id} /> : null}
        <fieldset disabled={!canEdit} className="grid gap-3">
          <FormField label="Name" error={error('name')}>
            <input
              name="name"
              className={field}
              value={draft.name}
              onChange={set('name')}
              placeholder="e.g. Savings fell"
              aria-invalid={error('name') ? true : undefined}
              autoComplete="off"
            />
          </FormField>
          <div className="grid grid-cols-2 gap-3">
            <FormField label="Metric" error={error('metric')}>
              <select name="metric" className={field} value={draft.metric} onChange={set('metric')}>
                {ALERT_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {METRIC_LABELS[m]}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField label="Window" error={error('windowMinutes')}>
              <select
                name="windowMinutes"
                className={field}
                value={draft.windowMinutes}
                onChange={set('windowMinutes')}
                disabled={!windowed}
              >
                {WINDOW_CHOICES.map((w) => (
                  <option key={w} value={w}>
                    {WINDOW_LABELS[w]}
                  </option>
                ))}
              </select>
              {!windowed ? (
                <input type="hidden" name="windowMinutes" value={draft.windowMinutes} />
              ) : null}
            </FormField>
          </div>
          {draft.metric === 'quality' ? (
            <FormField label="Data-quality check" error={error('qualityCheck')}>
              <select
                name="qualityCheck"
                className={field}
                value={draft.qualityCheck}
                onChange={set('qualityCheck')}
              >
                <option value="">Choose…</option>
                {qualityChecks.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            </FormField>
          ) : null}
          <div className="grid grid-cols-2 gap-3">
            <FormField label="Scope" error={error('scopeKind')}>
              <select
                name="scopeKind"
                className={field}
                value={draft.scopeKind}
                onChange={set('scopeKind')}
              >
                {SCOPE_KINDS.map((s) => (
                  <option key={s} value={s}>
                    {SCOPE_LABELS[s]}
                  </option>
                ))}
              </select>
            </FormField>
            {draft.scopeKind === 'all' ? null : (
              <FormField
                label={
                  draft.scopeKind === 'pattern'
                    ? 'Pattern id'
                    : draft.scopeKind === 'pattern_type'
                      ? 'Pattern type'
                      : 'Optimization type'
                }
                error={error('scopeValue')}
              >
                {draft.scopeKind === 'optimization_type' ? (
                  <select
                    name="scopeValue"
                    className={field}
                    value={draft.scopeValue}
                    onChange={set('scopeValue')}
                  >
                    <option value="">Choose…</option>
                    {OPTIMIZATION_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    name="scopeValue"
                    className={field}
                    value={draft.scopeValue}
                    onChange={set('scopeValue')}
                    list={draft.scopeKind === 'pattern_type' ? 'pattern-types' : undefined}
                    inputMode={draft.scopeKind === 'pattern' ? 'numeric' : undefined}
                    aria-invalid={error('scopeValue') ? true : undefined}
                    autoComplete="off"
                  />
                )}
              </FormField>
            )}
          </div>
          <datalist id="pattern-types">
            {patternTypes.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <div className="grid grid-cols-2 gap-3">
            <FormField label="Compare" error={error('compare')}>
              <select
                name="compare"
                className={field}
                value={draft.compare}
                onChange={set('compare')}
              >
                <option value="value">the value</option>
                {windowed ? (
                  <option value="change">% change against the window before</option>
                ) : null}
              </select>
            </FormField>
            <FormField label="Fires when" error={error('direction')}>
              <select
                name="direction"
                className={field}
                value={draft.direction}
                onChange={set('direction')}
              >
                <option value="below">below the threshold</option>
                <option value="above">above the threshold</option>
              </select>
            </FormField>
          </div>
          <div className="grid grid-cols-2 gap-3">
            <FormField
              label={`Warning (${valueUnit(draft as never)})`}
              error={error('warningThreshold')}
            >
              <input
                name="warningThreshold"
                className={field}
                value={draft.warningThreshold}
                onChange={set('warningThreshold')}
                inputMode="decimal"
                aria-invalid={error('warningThreshold') ? true : undefined}
              />
            </FormField>
            <FormField
              label={`Critical (${valueUnit(draft as never)})`}
              error={error('criticalThreshold')}
            >
              <input
                name="criticalThreshold"
                className={field}
                value={draft.criticalThreshold}
                onChange={set('criticalThreshold')}
                inputMode="decimal"
                aria-invalid={error('criticalThreshold') ? true : undefined}
              />
            </FormField>
          </div>
          <FormField label="Evaluate every" error={error('everyMinutes')}>
            <select
              name="everyMinutes"
              className={field}
              value={draft.everyMinutes}
              onChange={set('everyMinutes')}
            >
              {EVERY_CHOICES.map((m) => (
                <option key={m} value={m}>
                  {m === 60 ? 'hour' : `${m} minute${m === 1 ? '' : 's'}`}
                </option>
              ))}
            </select>
          </FormField>
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
            unit={valueUnit(draft as never)}
            tz={tz}
          />
        ) : null}
      </section>
    </div>
  );
}
