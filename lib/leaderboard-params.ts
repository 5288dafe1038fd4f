import { z } from 'zod';
import { AUTOMATION_STATUSES } from './domain';
import {
  directionParam,
  listParam,
  pageParam,
  pageSizeParam,
  searchParam,
  withDefault,
} from './url-params';
import type { SearchParams } from './search-params';

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

/** URL parameters of a filtered, sorted, paged list of patterns (leaderboard, review queue). */
export function patternListSchema<const S extends readonly [string, ...string[]]>(
  sorts: S,
  defaultSort: S[number],
) {
  return z.object({
    sort: withDefault(z.enum(sorts), defaultSort).meta({
      description: `Sort key, ${defaultSort} by default`,
    }),
    dir: directionParam,
    type: listParam.meta({ description: 'Pattern types, comma-separated or repeated' }),
    status: listParam.meta({
      description: `Automation statuses, comma-separated or repeated (known: ${AUTOMATION_STATUSES.join(', ')})`,
    }),
    q: searchParam,
    page: pageParam,
    size: pageSizeParam,
  });
}

export const leaderboardParamsSchema = patternListSchema(LEADERBOARD_SORTS, 'occurrences');
export type LeaderboardParams = z.infer<typeof leaderboardParamsSchema>;

export function parseLeaderboardParams(searchParams: SearchParams): LeaderboardParams {
  return leaderboardParamsSchema.parse(searchParams);
}
