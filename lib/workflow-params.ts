import { z } from 'zod';
import type { SearchParams } from './search-params';
import { directionParam, pageParam, pageSizeParam, searchParam, withDefault } from './url-params';

export const WORKFLOW_SORTS = [
  'lastActivity',
  'occurrences',
  'patterns',
  'usd',
  'tokens',
  'entries',
] as const;
export type WorkflowSort = (typeof WORKFLOW_SORTS)[number];

export const workflowParamsSchema = z.object({
  q: searchParam,
  history: withDefault(z.enum(['any', 'with', 'without']), 'any'),
  sort: withDefault(z.enum(WORKFLOW_SORTS), 'lastActivity'),
  dir: directionParam,
  page: pageParam,
  size: pageSizeParam,
});
export type WorkflowParams = z.infer<typeof workflowParamsSchema>;

export function parseWorkflowParams(searchParams: SearchParams): WorkflowParams {
  return workflowParamsSchema.parse(searchParams);
}
