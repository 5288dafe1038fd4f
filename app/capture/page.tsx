import type { Metadata } from 'next';
import { BarLineChart } from '@/components/charts/bar-line-chart';
import { Card } from '@/components/card';
import { RangePageHeader } from '@/components/page-header';
import { cachedTrackingCatalog } from '@/db/catalog';
import {
  getCaptureRules,
  getCaptureSources,
  getCaptureStatus,
  getDerivedSummary,
  getModelPrices,
  getRecentDerived,
  getToolActivity,
  getUnrecognisedCommands,
} from '@/db/queries/capture';
import { endOfCurrentMinute, resolvePageRange } from '@/db/queries/range';
import { toolActivityChart } from '@/lib/charts/capture-charts';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';
import { timeParamsSchema } from '@/lib/time-range';
import { checkSearchParams } from '@/lib/url-params';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { settings } from '@/server/settings';
import { ConnectCard } from './connect-card';
import { DerivedCard } from './derived-card';
import { PriceTable } from './price-table';
import { RuleTable } from './rule-table';
import { SourceTable } from './source-table';
import { UnrecognisedTable } from './unrecognised-table';

export const metadata: Metadata = { title: 'Capture' };
export const dynamic = 'force-dynamic';

export default async function CapturePage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const { current, ignored } = checkSearchParams(await searchParams, [timeParamsSchema]);
  const db = await getReadDb();
  const range = await resolvePageRange(db, current);
  const now = endOfCurrentMinute();
  const catalog = await cachedTrackingCatalog(db);
  const [sources, status, activity, unrecognised, rules, derived, recent, prices] =
    await Promise.all([
      getCaptureSources(db, range, now),
      getCaptureStatus(db, catalog),
      getToolActivity(db, range),
      getUnrecognisedCommands(db, catalog, range),
      getCaptureRules(db),
      getDerivedSummary(db, range),
      getRecentDerived(db, range),
      getModelPrices(db),
    ]);
  const admin = hasRole(actor, 'admin');
  const origin = settings().authUrl ?? settings().ownOrigin ?? 'http://127.0.0.1:3000';
  return (
    <>
      <RangePageHeader
        ignored={ignored}
        title="Capture"
        range={range}
        lead={
          <>
            What the agents already emit (Claude Code hooks, OpenTelemetry, the reference
            system&apos;s hook_events and task_logs), turned into occurrences and savings by the
            recognition rules below.
          </>
        }
      />
      <div className="grid gap-4 xl:grid-cols-3">
        <SourceTable sources={sources} status={status} admin={admin} tz={range.tz} />
        <DerivedCard
          summary={derived}
          recent={recent}
          tz={range.tz}
          patternHref={(id) => hrefWith(`/patterns/${id}`, timeOnly(current))}
        />
      </div>
      <Card title="Tool calls over time" className="mt-4" testId="tool-activity">
        <BarLineChart
          data={toolActivityChart(activity, range)}
          label="Tool calls per bucket, by tool"
        />
      </Card>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <UnrecognisedTable rows={unrecognised} admin={admin} tz={range.tz} />
        <ConnectCard origin={origin} />
      </div>
      <RuleTable rules={rules} admin={admin} tz={range.tz} />
      <PriceTable prices={prices} admin={admin} />
    </>
  );
}
