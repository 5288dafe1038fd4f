import { z } from 'zod';
import { breakdownQuery } from '@/db/queries/breakdown';
import { getBucketSpans } from '@/db/queries/rollup';
import { breakdownParamsSchema, defaultDimension, parseDimension } from '@/lib/breakdown';
import { BREAKDOWN_COLUMNS } from '@/lib/export-columns';
import { withDefault } from '@/lib/url-params';
import { exportRoute } from '@/server/api/export-route';

export const dynamic = 'force-dynamic';

const subjectSchema = z.object({
  subject: withDefault(z.enum(['occurrences', 'savings']), 'occurrences'),
  metric: withDefault(z.enum(['usd', 'tokens']), 'usd'),
});

/** A breakdown as CSV: every group in every bucket of the range (not only the ones drawn). */
export const GET = exportRoute({
  schemas: [breakdownParamsSchema, subjectSchema],
  columns: BREAKDOWN_COLUMNS,
  rows: async (db, range, current) => {
    const { subject, metric } = subjectSchema.parse(current);
    const by = typeof current.by === 'string' ? current.by : undefined;
    const dimension = parseDimension(by, subject) ?? defaultDimension(subject);
    const { spans } = await getBucketSpans(db, range);
    const measure = subject === 'savings' ? metric : 'count';
    return {
      query: breakdownQuery(spans, range, subject, dimension, measure, { csv: true }),
      filename: `${subject}-breakdown.csv`,
    };
  },
});
