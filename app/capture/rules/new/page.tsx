import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import type { SearchParams } from '@/lib/search-params';
import { requirePageRole } from '@/server/auth/actor';
import { RuleEditor } from '../../capture-forms';

export const metadata: Metadata = { title: 'New rule · Capture' };
export const dynamic = 'force-dynamic';

/** A parameter the "Make a rule" links fill in, kept to a field's length. */
const field = (value: string | string[] | undefined, max: number) =>
  typeof value === 'string' ? value.slice(0, max) : '';

export default async function NewRulePage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await requirePageRole('admin');
  const params = await searchParams;
  return (
    <>
      <PageHeader
        title="New recognition rule"
        description="Try it on the latest captured events before saving; it applies to events from the next capture step on, and “Re-derive” applies it to the events kept."
      />
      <RuleEditor
        rule={{
          name: field(params.name, 80),
          toolName: field(params.tool, 64) || 'Bash',
          match: field(params.match, 500),
          signature: field(params.signature, 200),
          enabled: true,
        }}
      />
    </>
  );
}
