/**
 * Which passwords an account may have: none that is published (the embedded demo's, printed in
 * the README) and none that zxcvbn-ts, with its list of the most common passwords, finds guessable
 * in fewer than 10^8 tries (its score 3). A kept library rather than a list of our own: it also
 * catches keyboard rows, repeats, dates and small changes to common passwords.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** The embedded demo admin's password: published, so refused for every other account. */
export const DEMO_PASSWORD = 'pattern-ledger-demo';

export const MIN_PASSWORD_LENGTH = 10;
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

const WHY: Record<string, string> = {
  common: 'it is one of the most common passwords',
  similarToCommon: 'it is a common password with small changes',
  topTen: 'it is one of the most common passwords',
  topHundred: 'it is one of the most common passwords',
  userInputs: 'it is made of the account’s own name or email',
  keyPattern: 'it follows a keyboard pattern',
  straightRow: 'it is a row of keys',
  extendedRepeat: 'it repeats itself',
  simpleRepeat: 'it repeats a character',
  sequences: 'it is a sequence such as abc or 123',
  dates: 'it is a date',
  recentYears: 'it is a recent year',
};

/**
 * Why `password` may not be used, or null when it may. `personal` holds what an attacker knows of
 * the account (its email, its name), which the estimate counts as guessable.
 */
export function passwordProblem(password: string, personal: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `A password has at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password === DEMO_PASSWORD) return 'That is the demo’s published password; choose another.';
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  // Long passwords are slow to estimate and not guessable by a list: look at the first 100.
  const words = personal.flatMap((text) => {
    const local = text.split('@')[0]!.toLowerCase();
    const parts = local.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3);
    return [local, parts.join(''), ...parts];
  });
  const result = estimator.check(password.slice(0, 100), words);
  if (result.score >= MIN_SCORE) return null;
  const why = WHY[result.feedback.warning ?? ''] ?? 'it is short or follows a common pattern';
  return `That password is too easy to guess (${why}); try four or more random words.`;
}
