import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';

export const metadata: Metadata = { title: 'Patterns' };

export default function PatternsPage() {
  return (
    <>
      <PageHeader title="Patterns" />
      <EmptyState title="Not built yet">
        The pattern leaderboard (occurrences, similarity and savings per learned pattern) is not
        built yet; it is tracked as issue #3.
      </EmptyState>
    </>
  );
}
