'use client';

import { usePathname } from 'next/navigation';
import { TabNav } from '@/components/tab-nav';

const TABS = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/api-keys', label: 'API keys' },
  { href: '/admin/channels', label: 'Channels' },
] as const;

export function AdminTabs() {
  return <TabNav label="Administration" tabs={TABS} current={usePathname()} />;
}
