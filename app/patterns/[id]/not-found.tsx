import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';

export default function PatternNotFound() {
  return (
    <EmptyState level={1} title="Pattern not found">
      No pattern has this id. It may have been removed, or the link is mistyped.{' '}
      <Link className="text-sky-700 underline dark:text-sky-400" href="/patterns">
        Back to the leaderboard
      </Link>
      .
    </EmptyState>
  );
}
