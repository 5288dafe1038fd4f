import type { BatchIssue } from './ingest-schemas';

/** An API error answer: always JSON `{ error, ... }`, never a stack trace. */
export function apiError(
  status: number,
  error: string,
  extra: { headers?: HeadersInit; issues?: BatchIssue[] } = {},
): Response {
  const body = extra.issues ? { error, issues: extra.issues } : { error };
  return Response.json(body, { status, headers: extra.headers });
}

export function batchRejected(issues: BatchIssue[]): Response {
  return apiError(400, 'The batch was rejected; nothing was written. Fix every listed item.', {
    issues,
  });
}
