import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { parseTimeParams } from '@/lib/time-range';
import type { SearchParams } from '@/lib/search-params';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { AlertsTabs } from '../alerts-tabs';
import { editorOptions } from '../editor-options';
import { EMPTY_DRAFT, RuleEditor } from '../rule-editor';

export const metadata: Metadata = { title: 'New alert rule' };
export const dynamic = 'force-dynamic';

export default async function NewRulePage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await requirePageRole('editor');
  const { tz } = parseTimeParams(await searchParams);
  const options = await editorOptions(await getReadDb());
  return (
    <>
      <AlertsTabs current="/alerts" />
      <PageHeader
        title="New alert rule"
        description="A metric over a rolling window, a scope, and the thresholds that make it a warning or critical. The backtest beside the form shows how it would have behaved."
      />
      <RuleEditor initial={EMPTY_DRAFT} {...options} tz={tz} canEdit />
    </>
  );
}
