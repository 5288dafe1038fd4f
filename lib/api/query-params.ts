import type { z } from 'zod';
import { searchParamsOf, type SearchParams } from '@/lib/search-params';
import { timeParamsSchema } from '@/lib/time-range';
import { checkSearchParams } from '@/lib/url-params';

/**
 * A request's query parameters checked against the schemas of what it reads (the time range
 * always): a page sets a bad parameter aside and says so; a program is answered 400 naming it.
 */
export function queryParams(
  request: Request,
  schemas: z.ZodObject[] = [],
): SearchParams | Response {
  const { current, ignored } = checkSearchParams(searchParamsOf(request.url), [
    timeParamsSchema,
    ...schemas,
  ]);
  if (ignored.length === 0) return current;
  return Response.json(
    {
      error: `Invalid query parameter${ignored.length > 1 ? 's' : ''}: ${ignored.map((p) => p.name).join(', ')}.`,
      issues: ignored.map((p) => ({ parameter: p.name, message: p.reason })),
    },
    { status: 400 },
  );
}
