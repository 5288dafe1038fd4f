import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';

export const metadata: Metadata = { title: 'Workflows' };

export default function WorkflowsPage() {
  return (
    <>
      <PageHeader title="Workflows" />
      <EmptyState title="Not built yet">
        The workflow list and workflow pages are not built yet; they are tracked as issue #5.
      </EmptyState>
    </>
  );
}
