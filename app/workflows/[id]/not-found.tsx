import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';

export default function WorkflowNotFound() {
  return (
    <EmptyState level={1} title="Workflow not found">
      No occurrence, savings entry or workflow_history row has this workflow id.{' '}
      <Link className="text-sky-700 underline dark:text-sky-400" href="/workflows">
        Back to the workflows
      </Link>
      .
    </EmptyState>
  );
}
