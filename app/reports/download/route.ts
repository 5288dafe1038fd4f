import { getReport } from '@/db/queries/report';
import { reportParams, reportPeriodOf } from '@/lib/alerts/reports';
import { reportText } from '@/lib/alert-messages';
import { requireRouteRole } from '@/server/auth/actor';
import { handleRoute } from '@/server/api/handle-route';
import { summarizeReport } from '@/server/alerts/reports';
import { getReadDb } from '@/server/database';

export const dynamic = 'force-dynamic';

/** The report of a period as plain text, the same as the digest's body. */
export const GET = handleRoute(async (request: Request) => {
  const actor = await requireRouteRole('viewer');
  if (actor instanceof Response) return actor;
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = reportParams.safeParse(query);
  if (!parsed.success)
    return Response.json(
      { error: parsed.error.issues.map((i) => i.message).join('; ') },
      { status: 400 },
    );
  const period = reportPeriodOf(parsed.data, new Date());
  const report = await getReport(await getReadDb(), period, parsed.data.cadence);
  const text = reportText(summarizeReport(report, null));
  return new Response(`${text}\n`, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="pattern-ledger-${parsed.data.cadence}-report-${period.start}.txt"`,
    },
  });
});
