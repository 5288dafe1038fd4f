/** The values the tables hold, shared by the database layer and the browser. */

export const AUTOMATION_STATUSES = [
  'detected',
  'candidate',
  'approved',
  'implemented',
  'active',
  'deprecated',
] as const;
export type AutomationStatus = (typeof AUTOMATION_STATUSES)[number];

/** In the order every legend, table and filter shows them. */
export const OPTIMIZATION_TYPES = [
  'pattern_offload',
  'tool_call',
  'input_split',
  'inverted_flow',
] as const;
export type OptimizationType = (typeof OPTIMIZATION_TYPES)[number];

export const API_KEY_SCOPES = ['read', 'write', 'capture'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const REVIEW_ACTIONS = ['approve', 'reject', 'comment', 'set_status'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
