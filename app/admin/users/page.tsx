import type { Metadata } from 'next';
import { requirePageRole } from '@/server/auth/actor';
import { PageHeader } from '@/components/page-header';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import { getDb } from '@/server/database';
import { getUsers } from '@/db/queries/users';
import { formatDateTime } from '@/lib/format';
import { CreateUserForm, DisableForm, RoleForm } from './user-forms';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

const cell = 'px-3 py-2';

export default async function UsersPage() {
  const admin = await requirePageRole('admin');
  const users = await getUsers(await getDb());
  return (
    <>
      <PageHeader
        title="Users"
        description="Viewers read everything; editors also annotate notes; admins also manage users. Times in UTC."
      />
      <section className="mb-6 card">
        <h2 className="mb-3 text-sm font-semibold">Create an account</h2>
        <CreateUserForm />
      </section>
      <TableFrame>
        <table className="w-full text-sm" data-testid="users">
          <thead className={TABLE_HEAD_CLASS}>
            <tr>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Account
              </th>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Role
              </th>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Status
              </th>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Created
              </th>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Last active
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {users.map((user) => (
              <tr key={user.id} data-email={user.email}>
                <td className={cell}>
                  <span className="block">{user.email}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">{user.name}</span>
                </td>
                <td className={cell}>
                  {user.id === admin.id ? (
                    <span>{user.role} (you)</span>
                  ) : (
                    <RoleForm userId={user.id} role={user.role ?? 'viewer'} email={user.email} />
                  )}
                </td>
                <td className={cell}>
                  <span className="mr-2">{user.disabled ? 'disabled' : 'active'}</span>
                  {user.id === admin.id ? null : (
                    <DisableForm userId={user.id} disabled={user.disabled} email={user.email} />
                  )}
                </td>
                <td className={`${cell} whitespace-nowrap tabular-nums`}>
                  {formatDateTime(user.createdAt, 'UTC')}
                </td>
                <td className={`${cell} whitespace-nowrap tabular-nums`}>
                  {formatDateTime(user.lastSeen, 'UTC')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}
