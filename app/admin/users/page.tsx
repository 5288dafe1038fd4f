import type { Metadata } from 'next';
import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { getUsers } from '@/db/queries/users';
import { formatDateTime } from '@/lib/format';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { CreateUserForm, DisableForm, RoleForm } from './user-forms';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

const WHEN = 'whitespace-nowrap tabular-nums';

export default async function UsersPage() {
  const admin = await requirePageRole('admin');
  const users = await getUsers(await getReadDb());
  return (
    <>
      <PageHeader
        title="Users"
        description="Viewers read everything; editors also annotate notes; admins also manage users. Times in UTC."
      />
      <Card title="Create an account" className="mb-6">
        <CreateUserForm />
      </Card>
      <DataTable
        roomy
        testId="users"
        rows={users}
        rowKey={(user) => user.id}
        rowAttributes={(user) => ({ 'data-email': user.email })}
        columns={[
          {
            header: 'Account',
            cell: (user) => (
              <>
                <span className="block">{user.email}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">{user.name}</span>
              </>
            ),
          },
          {
            header: 'Role',
            cell: (user) =>
              user.id === admin.id ? (
                <span>{user.role} (you)</span>
              ) : (
                <RoleForm userId={user.id} role={user.role ?? 'viewer'} email={user.email} />
              ),
          },
          {
            header: 'Status',
            cell: (user) => (
              <>
                <span className="mr-2">{user.disabled ? 'disabled' : 'active'}</span>
                {user.id === admin.id ? null : (
                  <DisableForm userId={user.id} disabled={user.disabled} email={user.email} />
                )}
              </>
            ),
          },
          {
            header: 'Created',
            className: WHEN,
            cell: (user) => formatDateTime(user.createdAt, 'UTC'),
          },
          {
            header: 'Last active',
            className: WHEN,
            cell: (user) => formatDateTime(user.lastSeen, 'UTC'),
          },
        ]}
      />
    </>
  );
}
