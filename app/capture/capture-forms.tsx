'use client';

import { useState, useTransition } from 'react';
import { FormField } from '@/components/form-field';
import type { FormState } from '@/lib/action-result';
import type { RuleTrial } from '@/db/capture/trial';
import { ActionMessage, ConfirmDeleteForm, useAdminForm } from '../admin/form-parts';
import {
  createRuleAction,
  deletePriceAction,
  rederiveRuleAction,
  savePriceAction,
  setSourceAction,
  tryRuleAction,
  updateRuleAction,
} from './actions';

/** Turns reading a table in place on or off. */
export function SourceSwitch({
  source,
  enabled,
}: {
  source: 'hook_events' | 'task_logs';
  enabled: boolean;
}) {
  const { state, action, pending } = useAdminForm(setSourceAction);
  return (
    <form action={action} className="ml-2 inline">
      <input type="hidden" name="source" value={source} />
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      <button type="submit" disabled={pending} className="button-outline px-2 text-xs">
        {enabled ? `Stop reading ${source}` : `Read ${source}`}
      </button>
      <ActionMessage state={state} />
    </form>
  );
}

export function RederiveButton({ id, name }: { id: number; name: string }) {
  const { state, action, pending } = useAdminForm(rederiveRuleAction);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        className="button-outline px-2 text-xs"
        aria-label={`Re-derive ${name}`}
      >
        {pending ? 'Re-deriving…' : 'Re-derive'}
      </button>
      <ActionMessage state={state} />
    </form>
  );
}

export function PriceForm() {
  const { state, action, pending, error } = useAdminForm(savePriceAction);
  return (
    <form action={action} className="mb-3 flex flex-wrap items-end gap-3" aria-label="Add a price">
      <FormField label="Model (or its beginning)" error={error('modelPrefix')}>
        <input name="modelPrefix" className="field w-48" placeholder="claude-sonnet-4-5" required />
      </FormField>
      <FormField label="From (YYYY-MM-DD)" error={error('effectiveFrom')}>
        <input
          name="effectiveFrom"
          className="field w-32"
          pattern="\d{4}-\d{2}-\d{2}"
          placeholder="YYYY-MM-DD"
          required
        />
      </FormField>
      <FormField label="Input $ / Mtok" error={error('inputUsdPerMtok')}>
        <input name="inputUsdPerMtok" inputMode="decimal" className="field w-24" required />
      </FormField>
      <FormField label="Output $ / Mtok" error={error('outputUsdPerMtok')}>
        <input name="outputUsdPerMtok" inputMode="decimal" className="field w-24" required />
      </FormField>
      <FormField label="Note" error={error('note')}>
        <input name="note" className="field w-56" maxLength={200} />
      </FormField>
      <button type="submit" disabled={pending} className="button-primary">
        {pending ? 'Saving…' : 'Save price'}
      </button>
      <div className="basis-full">
        <ActionMessage state={state} />
      </div>
    </form>
  );
}

export function DeletePriceButton({ id, label }: { id: number; label: string }) {
  const { state, action, pending } = useAdminForm(deletePriceAction);
  return (
    <>
      <ConfirmDeleteForm
        action={action}
        pending={pending}
        question={`Delete the price for ${label}? Savings derived from now on are priced without it.`}
        label={`Delete the price for ${label}`}
      >
        <input type="hidden" name="id" value={id} />
      </ConfirmDeleteForm>
      <ActionMessage state={state} />
    </>
  );
}

export type RuleFields = {
  id?: number;
  name: string;
  toolName: string;
  match: string;
  signature: string;
  enabled: boolean;
};

type TrialState = FormState<{ trial: RuleTrial }>;

/**
 * A rule's fields, with "Try" (what it would match among the latest events, nothing saved) and
 * "Save" (a new rule, or the rule's next version).
 */
export function RuleEditor({ rule }: { rule: RuleFields }) {
  const save = useAdminForm(rule.id === undefined ? createRuleAction : updateRuleAction);
  const [trial, setTrial] = useState<TrialState>(null);
  const [trying, startTrying] = useTransition();
  const error = (name: string) =>
    save.error(name) || (trial?.ok === false ? (trial.fieldErrors?.[name]?.join(' ') ?? '') : '');
  return (
    <form
      action={save.action}
      className="grid max-w-3xl gap-3"
      aria-label={rule.id === undefined ? 'Add a rule' : `Edit ${rule.name}`}
    >
      {rule.id !== undefined ? <input type="hidden" name="id" value={rule.id} /> : null}
      <FormField label="Name" error={error('name')}>
        <input name="name" className="field" defaultValue={rule.name} required maxLength={80} />
      </FormField>
      <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
        <FormField label="Tool (* for any)" error={error('toolName')}>
          <input
            name="toolName"
            className="field font-mono"
            defaultValue={rule.toolName}
            required
          />
        </FormField>
        <FormField label="Matches (PostgreSQL expression, any case)" error={error('match')}>
          <input
            name="match"
            className="field font-mono"
            defaultValue={rule.match}
            required
            maxLength={500}
          />
        </FormField>
      </div>
      <FormField
        label="Signature ({scope}, {scope:backend}, {1} and {2} are filled in)"
        error={error('signature')}
      >
        <input
          name="signature"
          className="field font-mono"
          defaultValue={rule.signature}
          required
          maxLength={200}
        />
      </FormField>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={rule.enabled} /> On
      </label>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="button-outline text-sm"
          disabled={trying}
          onClick={(event) => {
            const form = new FormData(event.currentTarget.form!);
            startTrying(async () => setTrial(await tryRuleAction(form)));
          }}
        >
          {trying ? 'Trying…' : 'Try on the latest events'}
        </button>
        <button type="submit" disabled={save.pending} className="button-primary">
          {save.pending ? 'Saving…' : rule.id === undefined ? 'Add rule' : 'Save as a new version'}
        </button>
      </div>
      <ActionMessage state={save.state} />
      {trial ? <TrialResult state={trial} /> : null}
    </form>
  );
}

function TrialResult({ state }: { state: TrialState }) {
  if (!state) return null;
  if (!state.ok)
    return (
      <p role="status" className="text-xs text-rose-700 dark:text-rose-400">
        {state.message}
      </p>
    );
  return (
    <div role="status" aria-live="polite" className="text-xs" data-testid="rule-trial">
      <p className="text-slate-700 dark:text-slate-300">{state.message}</p>
      {state.trial.signatures.length > 0 ? (
        <table className="mt-1 w-full text-left">
          <thead>
            <tr className="text-slate-600 dark:text-slate-400">
              <th className="py-1 pr-2 font-medium">Signature</th>
              <th className="py-1 pr-2 text-right font-medium">Calls</th>
              <th className="py-1 pr-2 text-right font-medium">Workflows</th>
              <th className="py-1 font-medium">For example</th>
            </tr>
          </thead>
          <tbody>
            {state.trial.signatures.map((row) => (
              <tr key={row.signature} data-signature={row.signature}>
                <td className="py-0.5 pr-2 font-mono">{row.signature}</td>
                <td className="py-0.5 pr-2 text-right tabular-nums">{row.runs}</td>
                <td className="py-0.5 pr-2 text-right tabular-nums">{row.workflows}</td>
                <td className="max-w-80 truncate py-0.5 font-mono" title={row.example}>
                  {row.example}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
