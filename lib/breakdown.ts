/**
 * Breakdowns: a section's figures grouped by one dimension (`by` in the URL). Occurrences group by
 * their pattern's facts, their workflow's, or any top-level key of matched_characteristics
 * (`mc.<key>`); savings by their type, pattern's facts or workflow's.
 */
import { z } from 'zod';
import { optionalParam } from './url-params';
import { storableText } from './text-safety';

export type BreakdownSubject = 'occurrences' | 'savings';

export const PATTERN_DIMENSIONS = ['pattern', 'pattern_type', 'status'] as const;
export const WORKFLOW_DIMENSIONS = ['template', 'model'] as const;
export const CHARACTERISTIC_PREFIX = 'mc.';

export type Dimension =
  | { kind: (typeof PATTERN_DIMENSIONS)[number] }
  | { kind: (typeof WORKFLOW_DIMENSIONS)[number] }
  | { kind: 'optimization_type' }
  | { kind: 'characteristic'; key: string };

export const DIMENSION_LABELS: Record<Exclude<Dimension['kind'], 'characteristic'>, string> = {
  pattern: 'Pattern',
  pattern_type: 'Pattern type',
  status: 'Automation status',
  optimization_type: 'Optimization type',
  template: 'Workflow template',
  model: 'Model',
};

/** `by`: a dimension's name, or `mc.` and a key of matched_characteristics (any text). */
export const breakdownParamsSchema = z.object({
  by: optionalParam(storableText(z.string().min(1).max(203))),
});

/** What a section is grouped by until someone chooses. */
export function defaultDimension(subject: BreakdownSubject): Dimension {
  return subject === 'savings' ? { kind: 'optimization_type' } : { kind: 'pattern_type' };
}

/** The dimension `by` names for the subject, or null (none asked, or not one it has). */
export function parseDimension(
  by: string | undefined,
  subject: BreakdownSubject,
): Dimension | null {
  if (!by) return null;
  if (by.startsWith(CHARACTERISTIC_PREFIX)) {
    const key = by.slice(CHARACTERISTIC_PREFIX.length);
    return subject === 'occurrences' && key.length > 0 && key.length <= 200
      ? { kind: 'characteristic', key }
      : null;
  }
  if ((PATTERN_DIMENSIONS as readonly string[]).includes(by))
    return { kind: by as (typeof PATTERN_DIMENSIONS)[number] };
  if ((WORKFLOW_DIMENSIONS as readonly string[]).includes(by))
    return { kind: by as (typeof WORKFLOW_DIMENSIONS)[number] };
  if (by === 'optimization_type' && subject === 'savings') return { kind: 'optimization_type' };
  return null;
}

export const dimensionParam = (dimension: Dimension): string =>
  dimension.kind === 'characteristic' ? `${CHARACTERISTIC_PREFIX}${dimension.key}` : dimension.kind;

export const dimensionLabel = (dimension: Dimension): string =>
  dimension.kind === 'characteristic'
    ? `matched_characteristics.${dimension.key}`
    : DIMENSION_LABELS[dimension.kind];

/** What a row without a value in the dimension is called. */
export function missingLabel(dimension: Dimension): string {
  switch (dimension.kind) {
    case 'characteristic':
      return '(not set)';
    case 'template':
    case 'model':
      return '(no history row)';
    default:
      return '(no pattern)';
  }
}

/** The dimensions a section offers, in the order of its menu. */
export function dimensionChoices(
  subject: BreakdownSubject,
  available: { template: boolean; model: boolean; characteristicKeys: readonly string[] },
): { value: string; label: string }[] {
  const fixed: Dimension['kind'][] =
    subject === 'savings'
      ? ['optimization_type', 'pattern_type', 'pattern', 'status']
      : ['pattern_type', 'pattern', 'status'];
  const choices: { value: string; label: string }[] = fixed.map((kind) => ({
    value: kind,
    label: DIMENSION_LABELS[kind as keyof typeof DIMENSION_LABELS],
  }));
  if (available.template) choices.push({ value: 'template', label: DIMENSION_LABELS.template });
  if (available.model) choices.push({ value: 'model', label: DIMENSION_LABELS.model });
  if (subject === 'occurrences')
    for (const key of available.characteristicKeys)
      choices.push({ value: `${CHARACTERISTIC_PREFIX}${key}`, label: `Characteristic: ${key}` });
  return choices;
}
