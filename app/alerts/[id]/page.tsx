import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AlertStateBadge } from '@/components/alerts/alert-state-badge';
import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { getAlertEvents, getAlertRule, getDeliveries } from '@/db/queries/alerts';
import { endOfCurrentMinute } from '@/db/queries/range';
import { valueUnit } from '@/lib/alerts/metrics';
import { describeRule } from '@/lib/alerts/rules';
import { formatDateTime } from '@/lib/format';
import { parseRecordId } from '@/lib/record-id';
import { parseTimeParams } from '@/lib/time-range';
import type { SearchParams } from '@/lib/search-params';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { AlertsTabs } from '../alerts-tabs';
import { editorOptions } from '../editor-options';
import { RuleEditor } from '../rule-editor';
import { DeleteRuleButton, SilenceControls } from './rule-controls';

export const metadata: Metadata = { title: 'Alert rule' };
export const dynamic = 'force-dynamic';

const value = (v: number | null) =>
  v === null ? 'no data' : v.toLocaleString('en-US', { maximumFractionDigits: 4 });

export default async function RulePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const id = parseRecordId((await params).id);
  if (id === null) notFound();
  const { tz } = parseTimeParams(await searchParams);
  const db = await getReadDb();
  const [rule, events, deliveries, options] = await Promise.all([
    getAlertRule(db, id),
    getAlertEvents(db, id),
    getDeliveries(db, id),
    editorOptions(db),
  ]);
  if (!rule) notFound();
  const canEdit = hasRole(actor, 'editor');
  const now = endOfCurrentMinute().getTime();
  const snoozed = rule.snoozedUntil !== null && rule.snoozedUntil > now;
  return (
    <>
      <AlertsTabs current="/alerts" />
      <PageHeader
        title={rule.name}
        description={describeRule(rule)}
        actions={canEdit ? <DeleteRuleButton id={rule.id} name={rule.name} /> : null}
      />
      <div className="mb-6 grid gap-4 md:grid-cols-3">
        <Card title="State" testId="rule-state">
          <AlertStateBadge state={rule.state} muted={rule.muted} snoozed={snoozed} />
          <p className="mt-2 text-sm tabular-nums" data-testid="rule-last-value">
            {value(rule.lastValue)}{' '}
            <span className="text-xs text-slate-500 dark:text-slate-400">{valueUnit(rule)}</span>
          </p>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {rule.lastEvaluatedAt === null
              ? 'Not evaluated yet.'
              : `Evaluated ${formatDateTime(rule.lastEvaluatedAt, tz)}; next ${formatDateTime(rule.nextEvaluationAt, tz)}.`}
            {snoozed ? ` Snoozed until ${formatDateTime(rule.snoozedUntil, tz)}.` : ''}
          </p>
        </Card>
        <Card title="Notifications" className="md:col-span-2">
          <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
            Muted or snoozed, the rule is still evaluated and its history kept, but it tells no one;
            when the silence ends, a state different from the one last told is sent once.
          </p>
          {canEdit ? (
            <SilenceControls id={rule.id} muted={rule.muted} snoozed={snoozed} />
          ) : (
            <p className="text-xs">{rule.muted ? 'Muted.' : snoozed ? 'Snoozed.' : 'Notifying.'}</p>
          )}
        </Card>
      </div>
      <Card title={canEdit ? 'Edit the rule' : 'The rule'} className="mb-6">
        <RuleEditor
          initial={{
            id: rule.id,
            name: rule.name,
            metric: rule.metric,
            scopeKind: rule.scopeKind,
            scopeValue: rule.scopeValue ?? '',
            qualityCheck: rule.qualityCheck ?? '',
            windowMinutes: String(rule.windowMinutes),
            compare: rule.compare,
            direction: rule.direction,
            warningThreshold: rule.warningThreshold === null ? '' : String(rule.warningThreshold),
            criticalThreshold:
              rule.criticalThreshold === null ? '' : String(rule.criticalThreshold),
            everyMinutes: String(rule.everyMinutes),
            channelIds: rule.channelIds.map(String),
          }}
          {...options}
          tz={tz}
          canEdit={canEdit}
        />
      </Card>
      <div className="grid gap-6 xl:grid-cols-2">
        <section aria-labelledby="history-title">
          <h2 id="history-title" className="mb-2 text-base font-semibold">
            History
          </h2>
          <DataTable
            testId="alert-history"
            rows={events}
            rowKey={(e) => e.id}
            rowAttributes={(e) => ({ 'data-to': e.toState })}
            empty="No change of state yet."
            columns={[
              {
                header: 'When',
                className: 'whitespace-nowrap tabular-nums',
                cell: (e) => formatDateTime(e.at, tz),
              },
              {
                header: 'Change',
                cell: (e) => (
                  <span className="inline-flex items-center gap-1">
                    <AlertStateBadge state={e.fromState} /> → <AlertStateBadge state={e.toState} />
                  </span>
                ),
              },
              { header: 'Value', key: 'value', align: 'right', cell: (e) => value(e.value) },
              {
                header: 'Threshold',
                align: 'right',
                cell: (e) => (e.threshold === null ? '—' : value(e.threshold)),
              },
              { header: 'Notified', cell: (e) => (e.notified ? 'yes' : 'no (silenced)') },
            ]}
          />
        </section>
        <section aria-labelledby="deliveries-title">
          <h2 id="deliveries-title" className="mb-2 text-base font-semibold">
            Deliveries
          </h2>
          <DataTable
            testId="alert-deliveries"
            rows={deliveries}
            rowKey={(d) => d.id}
            rowAttributes={(d) => ({ 'data-status': d.status })}
            empty="Nothing sent yet."
            columns={[
              {
                header: 'Queued',
                className: 'whitespace-nowrap tabular-nums',
                cell: (d) => formatDateTime(d.createdAt, tz),
              },
              { header: 'Channel', cell: (d) => d.channel },
              { header: 'Message', cell: (d) => d.subject.replace('[Pattern Ledger] ', '') },
              {
                header: 'Status',
                cell: (d) =>
                  d.status === 'sent' ? (
                    `sent ${formatDateTime(d.sentAt, tz)}`
                  ) : (
                    <span className={d.lastError ? 'text-rose-700 dark:text-rose-400' : undefined}>
                      {d.status === 'failed'
                        ? `failed after ${d.attempts} attempts`
                        : d.lastError
                          ? `retrying at ${formatDateTime(d.nextAttemptAt, tz)} (attempt ${d.attempts})`
                          : 'queued'}
                      {d.lastError ? `: ${d.lastError}` : ''}
                    </span>
                  ),
              },
            ]}
          />
        </section>
      </div>
    </>
  );
}
