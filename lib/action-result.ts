import { z } from 'zod';

export type ActionFailureKind = 'forbidden' | 'invalid' | 'not_found' | 'conflict' | 'error';

/** Why an action did nothing. */
export type ActionFailure<Current = never> = {
  ok: false;
  kind: ActionFailureKind;
  message: string;
  /** With `invalid`: every message, by field. */
  fieldErrors?: Record<string, string[]>;
  /** With `conflict`: the record as it is now. */
  current?: Current;
  /** Values the form sends again, so a person need not type them twice (never a password). */
  values?: Record<string, string>;
};

/**
 * Every server action's answer: `ok: true` with what it made (and an optional message to show),
 * or a failure saying why nothing changed.
 */
export type ActionResult<Done extends object = object, Current = never> =
  | ({ ok: true; message?: string; fieldErrors?: undefined; values?: undefined } & Done)
  | ActionFailure<Current>;

/** A form's state before its first answer (React's useActionState starts from it). */
export type FormState<Done extends object = object> = ActionResult<Done> | null;

export function actionFailure<Current = never>(
  kind: ActionFailureKind,
  message: string,
  extra: Pick<ActionFailure<Current>, 'current' | 'fieldErrors' | 'values'> = {},
): ActionFailure<Current> {
  return { ok: false, kind, message, ...extra };
}

/** A server action's answer to input that failed validation: every message, by field. */
export function invalidInput(error: z.ZodError): ActionFailure {
  const flat = z.flattenError(error);
  const fieldErrors = flat.fieldErrors as Record<string, string[]>;
  const formErrors = flat.formErrors;
  return actionFailure(
    'invalid',
    [...new Set([...formErrors, ...Object.values(fieldErrors).flat()])].join(' ') ||
      'The request was malformed.',
    { fieldErrors },
  );
}
