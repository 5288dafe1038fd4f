import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';

export const metadata: Metadata = { title: 'Savings' };

export default function SavingsPage() {
  return (
    <>
      <PageHeader title="Savings" />
      <EmptyState title="Not built yet">
        Savings charts and the annotated savings log are not built yet; they are tracked as issue
        #4.
      </EmptyState>
    </>
  );
}
