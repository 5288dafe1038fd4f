import { TabNav } from '@/components/tab-nav';

const TABS = [
  { href: '/alerts', label: 'Rules' },
  { href: '/reports', label: 'Reports' },
] as const;

/** Rules and reports: the two halves of being told. */
export function AlertsTabs({ current }: { current: '/alerts' | '/reports' }) {
  return <TabNav label="Alerts and reports" tabs={TABS} current={current} />;
}
