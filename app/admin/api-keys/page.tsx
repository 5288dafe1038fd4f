import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import { getDb } from '@/server/database';
import { getApiKeys } from '@/db/queries/api-keys';
import { requirePageRole } from '@/server/auth/actor';
import { formatDateTime } from '@/lib/format';
import { CreateKeyForm, RevokeKeyForm } from './key-forms';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

const cell = 'px-3 py-2';
const HEADINGS = ['Name', 'Key', 'Scope', 'Created', 'Last used', 'Status'];

export default async function ApiKeysPage() {
  await requirePageRole('admin');
  const keys = await getApiKeys(await getDb());
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let agents write occurrences and savings through /api/v1 (write scope) or read figures (read scope). Only a hash of each key is stored. Times in UTC."
      />
      <section className="mb-6 card">
        <h2 className="mb-3 text-sm font-semibold">Create a key</h2>
        <CreateKeyForm />
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          How to call the API: the README&apos;s “Ingestion API” section and the{' '}
          <a className="underline" href="/api/v1/openapi.json">
            OpenAPI document
          </a>
          .
        </p>
      </section>
      <TableFrame>
        <table className="w-full text-sm" data-testid="api-keys">
          <thead className={TABLE_HEAD_CLASS}>
            <tr>
              {HEADINGS.map((heading) => (
                <th key={heading} scope="col" className={`${cell} text-left font-medium`}>
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {keys.length === 0 ? (
              <tr>
                <td
                  colSpan={HEADINGS.length}
                  className={`${cell} text-slate-600 dark:text-slate-400`}
                >
                  No API keys yet.
                </td>
              </tr>
            ) : null}
            {keys.map((key) => (
              <tr key={key.id} data-key-name={key.name}>
                <td className={cell}>
                  <span className="block">{key.name}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    by {key.createdBy ?? 'unknown'}
                  </span>
                </td>
                <td className={`${cell} font-mono text-xs`}>{key.prefix}…</td>
                <td className={cell}>{key.scope}</td>
                <td className={`${cell} whitespace-nowrap tabular-nums`}>
                  {formatDateTime(key.createdAt, 'UTC')}
                </td>
                <td className={`${cell} whitespace-nowrap tabular-nums`}>
                  {key.lastUsedAt === null ? 'never' : formatDateTime(key.lastUsedAt, 'UTC')}
                </td>
                <td className={cell}>
                  {key.revokedAt === null ? (
                    <span className="flex items-center gap-2">
                      <span>active</span>
                      <RevokeKeyForm id={key.id} name={key.name} />
                    </span>
                  ) : (
                    <span>revoked {formatDateTime(key.revokedAt, 'UTC')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}
