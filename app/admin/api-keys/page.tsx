import type { Metadata } from 'next';
import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { getApiKeys } from '@/db/queries/api-keys';
import { formatDateTime } from '@/lib/format';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { CreateKeyForm, RevokeKeyForm } from './key-forms';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

const WHEN = 'whitespace-nowrap tabular-nums';

export default async function ApiKeysPage() {
  await requirePageRole('admin');
  const keys = await getApiKeys(await getReadDb());
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let agents write occurrences and savings through /api/v1 (write scope), read figures (read scope), or send Claude Code hooks and telemetry to capture (capture scope: nothing else). Only a hash of each key is stored. Times in UTC."
      />
      <Card title="Create a key" className="mb-6">
        <CreateKeyForm />
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          How to call the API: the README&apos;s “Ingestion API” section and the{' '}
          <a className="underline" href="/api/v1/openapi.json">
            OpenAPI document
          </a>
          .
        </p>
      </Card>
      <DataTable
        roomy
        testId="api-keys"
        rows={keys}
        rowKey={(key) => key.id}
        rowAttributes={(key) => ({ 'data-key-name': key.name })}
        empty="No API keys yet."
        columns={[
          {
            header: 'Name',
            cell: (key) => (
              <>
                <span className="block">{key.name}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  by {key.createdBy ?? 'unknown'}
                </span>
              </>
            ),
          },
          { header: 'Key', className: 'font-mono text-xs', cell: (key) => `${key.prefix}…` },
          { header: 'Scope', cell: (key) => key.scope },
          {
            header: 'Created',
            className: WHEN,
            cell: (key) => formatDateTime(key.createdAt, 'UTC'),
          },
          {
            header: 'Last used',
            className: WHEN,
            cell: (key) =>
              key.lastUsedAt === null ? 'never' : formatDateTime(key.lastUsedAt, 'UTC'),
          },
          {
            header: 'Status',
            cell: (key) =>
              key.revokedAt === null ? (
                <span className="flex items-center gap-2">
                  <span>active</span>
                  <RevokeKeyForm id={key.id} name={key.name} />
                </span>
              ) : (
                <span>revoked {formatDateTime(key.revokedAt, 'UTC')}</span>
              ),
          },
        ]}
      />
    </>
  );
}
