import type { Metadata } from 'next';
import { TextLink } from '@/components/text-link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { QualityTable } from '@/components/quality-table';
import { getReadDb } from '@/server/database';
import { findQualityCheck, getQualityRows } from '@/db/queries/data-quality';
import { requirePageRole } from '@/server/auth/actor';
import type { SearchParams } from '@/lib/search-params';
import { pageParam, pageSizeParam } from '@/lib/url-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';
import { pagedListSchema } from '@/lib/url-params';

type Props = { params: Promise<{ check: string }>; searchParams: Promise<SearchParams> };

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePageRole('viewer');
  const check = findQualityCheck((await params).check);
  return { title: check ? check.title : 'Check not found' };
}

export default async function QualityCheckPage({ params, searchParams }: Props) {
  await requirePageRole('viewer');
  const check = findQualityCheck((await params).check);
  if (!check) notFound();
  const { current, ignored } = checkSearchParams(await searchParams, [
    timeParamsSchema,
    pagedListSchema,
  ]);
  const page = pageParam.parse(current.page);
  const size = pageSizeParam.parse(current.size);
  const { rows, total } = await getQualityRows(await getReadDb(), check, {
    limit: size,
    offset: (page - 1) * size,
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <TextLink href="/data-quality">← Data quality</TextLink>
      </nav>
      <PageHeader ignored={ignored} title={check.title} description={check.explain} />
      {rows.length > 0 ? <QualityTable check={check} rows={rows} /> : null}
      <Pagination
        list={{ page: page, size: size, total: total }}
        noun="rows"
        pathname={`/data-quality/${check.id}`}
        current={current}
      />
    </>
  );
}
