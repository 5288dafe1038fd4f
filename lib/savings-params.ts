import { z } from 'zod';
import { OPTIMIZATION_TYPES } from './domain';
import type { SearchParams } from './search-params';
import {
  directionParam,
  listParam,
  optionalParam,
  pageParam,
  pageSizeParam,
  withDefault,
} from './url-params';
import { storableText } from './text-safety';

export const SAVINGS_SORTS = ['savedAt', 'baseline', 'actual', 'tokensSaved', 'usd'] as const;
export type SavingsSort = (typeof SAVINGS_SORTS)[number];

const amount = optionalParam(z.coerce.number().finite().min(0).max(1e9));

export const savingsParamsSchema = z.object({
  type: listParam.transform((types) =>
    types.filter((t) => (OPTIMIZATION_TYPES as readonly string[]).includes(t)),
  ),
  pattern: optionalParam(z.coerce.number().int().min(1).max(2_147_483_647)),
  workflow: optionalParam(storableText(z.string().trim().min(1).max(255))),
  notes: optionalParam(z.enum(['with', 'without'])),
  usdMin: amount,
  usdMax: amount,
  sort: withDefault(z.enum(SAVINGS_SORTS), 'savedAt'),
  dir: directionParam,
  page: pageParam,
  size: pageSizeParam,
  metric: withDefault(z.enum(['usd', 'tokens']), 'usd'),
});

export type SavingsParams = z.infer<typeof savingsParamsSchema>;

export function parseSavingsParams(searchParams: SearchParams): SavingsParams {
  return savingsParamsSchema.parse(searchParams);
}
