import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';

export default function NotFound() {
  return (
    <EmptyState level={1} title="Page not found">
      Nothing lives at this address.{' '}
      <Link className="text-sky-700 underline dark:text-sky-400" href="/">
        Back to the overview
      </Link>
      .
    </EmptyState>
  );
}
