import type { z } from 'zod';
import { patternListSchema } from './leaderboard-params';
import type { SearchParams } from './time-range';

export const REVIEW_SORTS = [
  'priority',
  'occurrences',
  'estimatedMonthly',
  'confidence',
  'lastSeen',
] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

const schema = patternListSchema(REVIEW_SORTS, 'priority');

export type ReviewParams = z.infer<typeof schema>;

export function parseReviewParams(searchParams: SearchParams): ReviewParams {
  return schema.parse(searchParams);
}
