import type { ReactNode } from 'react';
import { AdminTabs } from './admin-tabs';

/** Tabs only; each admin page checks the role itself. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AdminTabs />
      {children}
    </>
  );
}
