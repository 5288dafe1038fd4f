import { sql, type SQL } from 'drizzle-orm';

/**
 * A pattern's review state as one comparable string: its status and when it was last reviewed.
 * A review applies only if this is still what the reviewer saw.
 */
export function reviewVersion(alias: SQL): SQL {
  return sql`(coalesce(${alias}.automation_status::text, '') || '|' || coalesce(${alias}.reviewed_at::text, ''))`;
}
