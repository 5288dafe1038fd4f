import { openApiDocument } from '@/lib/api/openapi';

export const dynamic = 'force-dynamic';

/** The API's description, public like any API reference (it holds no data). */
export function GET(request: Request): Response {
  return Response.json(openApiDocument(new URL(request.url).origin));
}
