import { getChannels } from '@/db/queries/alerts';
import { QUALITY_CHECKS } from '@/db/queries/data-quality';
import { getPatternFilterOptions } from '@/db/queries/patterns';
import type { Database } from '@/db/types';

/** What the rule form offers: the channels, the pattern types seen, the data-quality checks. */
export async function editorOptions(db: Database) {
  const [channels, filters] = await Promise.all([getChannels(db), getPatternFilterOptions(db)]);
  return {
    channels: channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
    patternTypes: filters.types,
    qualityChecks: QUALITY_CHECKS.map((c) => ({ id: c.id, title: c.title })),
  };
}
