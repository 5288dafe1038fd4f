import type { z } from 'zod';
import { patternListSchema } from './leaderboard-params';
import type { SearchParams } from './search-params';

export const REVIEW_SORTS = [
  'priority',
  'occurrences',
  'estimatedMonthly',
  'confidence',
  'lastSeen',
] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export const reviewParamsSchema = patternListSchema(REVIEW_SORTS, 'priority');

export type ReviewParams = z.infer<typeof reviewParamsSchema>;

export function parseReviewParams(searchParams: SearchParams): ReviewParams {
  return reviewParamsSchema.parse(searchParams);
}
