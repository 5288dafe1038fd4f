import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';

export default function SavingsEntryNotFound() {
  return (
    <EmptyState level={1} title="Savings entry not found">
      No savings entry has this id; it may have been deleted.{' '}
      <Link className="text-sky-700 underline dark:text-sky-400" href="/savings">
        Back to the savings log
      </Link>
      .
    </EmptyState>
  );
}
