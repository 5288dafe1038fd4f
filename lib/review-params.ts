import { z } from 'zod';
import {
  directionParam,
  listParam,
  pageParam,
  pageSizeParam,
  searchParam,
  withDefault,
} from './url-params';
import type { SearchParams } from './time-range';

export const REVIEW_SORTS = [
  'priority',
  'occurrences',
  'estimatedMonthly',
  'confidence',
  'lastSeen',
] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

const schema = z.object({
  sort: withDefault(z.enum(REVIEW_SORTS), 'priority'),
  dir: directionParam,
  type: listParam,
  status: listParam,
  q: searchParam,
  page: pageParam,
  size: pageSizeParam,
});

export type ReviewParams = z.infer<typeof schema>;

export function parseReviewParams(searchParams: SearchParams): ReviewParams {
  return schema.parse(searchParams);
}
