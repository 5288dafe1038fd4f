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

export const LEADERBOARD_SORTS = [
  'occurrences',
  'share',
  'avgSimilarity',
  'minSimilarity',
  'workflows',
  'lastSeen',
  'tokensSaved',
  'usdSaved',
  'estimatedMonthly',
  'actualMonthly',
  'confidence',
  'roi',
] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

const schema = z.object({
  sort: withDefault(z.enum(LEADERBOARD_SORTS), 'occurrences'),
  dir: directionParam,
  type: listParam,
  status: listParam,
  q: searchParam,
  page: pageParam,
  size: pageSizeParam,
});

export type LeaderboardParams = z.infer<typeof schema>;

export function parseLeaderboardParams(searchParams: SearchParams): LeaderboardParams {
  return schema.parse(searchParams);
}
