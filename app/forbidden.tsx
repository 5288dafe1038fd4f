import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';

export default function Forbidden() {
  return (
    <EmptyState level={1} title="Not allowed">
      Your role does not allow this page. Ask an admin to change your role.{' '}
      <Link className="text-sky-700 underline dark:text-sky-400" href="/">
        Back to the overview
      </Link>
      .
    </EmptyState>
  );
}
