import type { Metadata } from 'next';
import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { getChannels } from '@/db/queries/alerts';
import { formatDateTime } from '@/lib/format';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { settings } from '@/server/settings';
import { ChannelRowActions, CreateChannelForm } from './channel-forms';

export const metadata: Metadata = { title: 'Channels' };
export const dynamic = 'force-dynamic';

export default async function ChannelsPage() {
  await requirePageRole('admin');
  const channels = await getChannels(await getReadDb());
  const mail = settings().smtpUrl
    ? 'Mail goes through the server in SMTP_URL.'
    : 'No mail server is set (SMTP_URL): email channels fail until one is.';
  return (
    <>
      <PageHeader
        title="Channels"
        description={`Where alerts and reports are sent. Webhooks get a JSON body signed with HMAC-SHA256 (header X-Pattern-Ledger-Signature over "<timestamp>.<body>") or a Slack-compatible body. ${mail} Times in UTC.`}
      />
      <Card title="Add a channel" className="mb-6">
        <CreateChannelForm />
      </Card>
      <DataTable
        roomy
        testId="channels"
        rows={channels}
        rowKey={(c) => c.id}
        rowAttributes={(c) => ({ 'data-channel': c.name })}
        empty="No channels yet."
        columns={[
          {
            header: 'Name',
            cell: (c) => (
              <>
                <span className="block">{c.name}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  by {c.createdBy ?? 'unknown'}, {formatDateTime(c.createdAt, 'UTC')}
                </span>
              </>
            ),
          },
          {
            header: 'Kind',
            cell: (c) =>
              c.kind === 'webhook'
                ? `webhook (${c.format === 'slack' ? 'Slack' : 'JSON'})`
                : 'email',
          },
          { header: 'Sends to', className: 'break-all font-mono text-xs', cell: (c) => c.target },
          {
            header: 'Secret',
            cell: (c) => (c.kind === 'email' ? '—' : c.hasSecret ? 'set (never shown)' : 'none'),
          },
          { header: 'Rules', align: 'right', cell: (c) => c.rules },
          { header: 'Actions', cell: (c) => <ChannelRowActions id={c.id} name={c.name} /> },
        ]}
      />
    </>
  );
}
