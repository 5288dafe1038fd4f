import 'server-only';
import type { z } from 'zod';
import { actionFailure, invalidInput, type ActionResult } from '@/lib/action-result';
import { jsonProblem, textProblem } from '@/lib/text-safety';
import { checkRole, type Actor, type Role } from './auth/actor';
import { getDb } from './database';
import { rememberWrite } from './read-replica';

/**
 * Every server action is a public endpoint; this is the one way to write one. The returned action
 * checks the caller's role first, then reads its input (the last argument: an object, or the
 * FormData of a form, as React's useActionState passes it after the previous state) with
 * `schema`, and only then runs `act`. A refusal or bad input answers without touching anything.
 */
export function roleAction<
  Needed extends Role | 'anyone',
  Schema extends z.ZodType,
  Done extends object,
  Current = never,
>(
  role: Needed,
  schema: Schema,
  act: (
    input: z.output<Schema>,
    actor: Needed extends Role ? Actor : null,
  ) => Promise<ActionResult<Done, Current>>,
): (...args: unknown[]) => Promise<ActionResult<Done, Current>> {
  return async (...args) => {
    let actor = null;
    if (role !== 'anyone') {
      const caller = await checkRole(role);
      if ('refused' in caller) return actionFailure('forbidden', caller.refused);
      actor = caller.actor;
    }
    const raw = args.at(-1);
    const form = raw instanceof FormData ? raw : null;
    const input = form ? formFields(form) : raw;
    const unstorable = unstorableField(input);
    if (unstorable) {
      return {
        ...actionFailure('invalid', `${unstorable.field}: ${unstorable.problem}.`, {
          fieldErrors: { [unstorable.field]: [unstorable.problem] },
        }),
        ...(form ? { values: formValues(form) } : {}),
      };
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return { ...invalidInput(parsed.error), ...(form ? { values: formValues(form) } : {}) };
    }
    const result = await act(parsed.data, actor as Needed extends Role ? Actor : null);
    // The person's next pages read their own write, even from a replica that lags.
    if (result.ok && actor) await rememberWrite(await getDb());
    return result;
  };
}

/** A form's fields; a name sent more than once (checkboxes) gives the list of its values. */
function formFields(form: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const fields: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name);
    fields[name] = values.length === 1 ? values[0]! : values;
  }
  return fields;
}

/**
 * The first field (of any action, whatever its schema reads) holding what no column can store:
 * NUL or half of a surrogate pair, in a value or a key. Refused naming the field, before parsing.
 */
function unstorableField(input: unknown): { field: string; problem: string } | null {
  if (input === null || typeof input !== 'object') {
    const problem = typeof input === 'string' ? textProblem(input) : null;
    return problem ? { field: 'input', problem } : null;
  }
  for (const [field, value] of Object.entries(input)) {
    const nameProblem = textProblem(field);
    if (nameProblem) return { field: 'a field name', problem: nameProblem };
    const problem = jsonProblem(value instanceof Blob ? null : value);
    if (problem) return { field, problem: problem.replace(/^the value /, '') };
  }
  return null;
}

/** Fields never sent back in an answer: what a person typed as a password or a secret. */
const SECRET_FIELD = /password|secret|token/i;

/** A form's text fields, secrets left out. */
function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === 'string' && !SECRET_FIELD.test(name)) values[name] = value;
  }
  return values;
}

/** The answer when the database refused a write for a reason that is not the caller's input. */
export function notStored(what: string, error: unknown): ActionResult<never> {
  console.error(`[pattern-ledger] ${what} failed:`, error);
  return actionFailure(
    'error',
    `${what} could not be saved: the database did not accept it. Try again.`,
  );
}
