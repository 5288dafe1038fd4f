/**
 * What a model's tokens cost, to price the tokens an offloaded operation saved. Prices are per
 * million tokens, by model-name prefix and the date they apply from; the longest prefix in effect
 * at the operation's time wins, and `*` prices any model not listed (the reference system's design
 * assumes $3 per million). Shipped with Anthropic's list prices as published; editable under
 * Capture → Prices.
 */
import { z } from 'zod';
import { storableText } from '../text-safety';

export type ModelPrice = {
  modelPrefix: string;
  effectiveFrom: string;
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  note: string;
};

const LIST = 'Anthropic list price at release';

export const DEFAULT_PRICES: ModelPrice[] = [
  {
    modelPrefix: '*',
    effectiveFrom: '2024-01-01',
    inputUsdPerMtok: 3,
    outputUsdPerMtok: 15,
    note: 'Any other model: Sonnet-class pricing',
  },
  {
    modelPrefix: 'claude-3-5-haiku',
    effectiveFrom: '2024-11-04',
    inputUsdPerMtok: 0.8,
    outputUsdPerMtok: 4,
    note: LIST,
  },
  {
    modelPrefix: 'claude-3-5-sonnet',
    effectiveFrom: '2024-06-20',
    inputUsdPerMtok: 3,
    outputUsdPerMtok: 15,
    note: LIST,
  },
  {
    modelPrefix: 'claude-3-7-sonnet',
    effectiveFrom: '2025-02-24',
    inputUsdPerMtok: 3,
    outputUsdPerMtok: 15,
    note: LIST,
  },
  {
    modelPrefix: 'claude-sonnet-4',
    effectiveFrom: '2025-05-22',
    inputUsdPerMtok: 3,
    outputUsdPerMtok: 15,
    note: LIST,
  },
  {
    modelPrefix: 'claude-opus-4',
    effectiveFrom: '2025-05-22',
    inputUsdPerMtok: 15,
    outputUsdPerMtok: 75,
    note: LIST,
  },
  {
    modelPrefix: 'claude-opus-4-1',
    effectiveFrom: '2025-08-05',
    inputUsdPerMtok: 15,
    outputUsdPerMtok: 75,
    note: LIST,
  },
  {
    modelPrefix: 'claude-sonnet-4-5',
    effectiveFrom: '2025-09-29',
    inputUsdPerMtok: 3,
    outputUsdPerMtok: 15,
    note: LIST,
  },
  {
    modelPrefix: 'claude-haiku-4-5',
    effectiveFrom: '2025-10-15',
    inputUsdPerMtok: 1,
    outputUsdPerMtok: 5,
    note: LIST,
  },
  {
    modelPrefix: 'claude-opus-4-5',
    effectiveFrom: '2025-11-24',
    inputUsdPerMtok: 5,
    outputUsdPerMtok: 25,
    note: LIST,
  },
];

const usd = z.coerce
  .number({ error: 'A price is a number of dollars per million tokens.' })
  .refine(Number.isFinite, 'A price is a finite number.')
  .min(0, 'A price is not negative.')
  .max(100_000, 'At most $100,000 per million tokens.');

export const modelPriceInput = z.object({
  modelPrefix: storableText(
    z
      .string()
      .trim()
      .regex(/^(\*|[a-z0-9][a-z0-9._:/-]{0,99})$/i, 'A model name or its beginning, or * for any.'),
  ),
  effectiveFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD.')
    .refine((value) => {
      const at = Date.parse(`${value}T00:00:00Z`);
      return Number.isFinite(at) && at >= Date.UTC(2000, 0, 1) && at <= Date.UTC(2100, 0, 1);
    }, 'A real date between 2000 and 2100.'),
  inputUsdPerMtok: usd,
  outputUsdPerMtok: usd,
  note: storableText(z.string().trim().max(200)).optional().default(''),
});
export type ModelPriceInput = z.output<typeof modelPriceInput>;
