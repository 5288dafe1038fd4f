import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDataVersion, getLiveVersion } from '@/db/queries/live';
import { formatClock } from '@/lib/format';
import { parseTimeParams, timeSearchParams } from '@/lib/time-range';
import { describeEachDatabase } from './support/databases';
import { rangeOf } from './support/ranges';

describeEachDatabase('the data version a live page polls', { seed: true }, (get) => {
  it('moves with every change a page shows, and with nothing else', async () => {
    const { db } = get();
    const changes = [
      sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
        SELECT pattern_id, 'wf-live-version', similarity_score, detected_at FROM pattern_occurrences LIMIT 1`,
      sql`UPDATE cost_savings_log SET tokens_saved = tokens_saved + 1
        WHERE id = (SELECT min(id) FROM cost_savings_log)`,
      sql`UPDATE operation_patterns SET automation_status = 'approved'
        WHERE id = (SELECT min(id) FROM operation_patterns WHERE automation_status <> 'approved')`,
      sql`INSERT INTO pattern_ledger.note_history (savings_id, previous_notes, new_notes, changed_by)
        SELECT min(id), NULL, 'live', 'test' FROM cost_savings_log`,
      sql`DELETE FROM pattern_occurrences WHERE workflow_id = 'wf-live-version'`,
    ];
    let before = await getDataVersion(db);
    expect(before).not.toBe('');
    for (const change of changes) {
      await db.execute(change);
      const after = await getDataVersion(db);
      expect(after).not.toBe(before);
      before = after;
    }
    // Pattern Ledger's own bookkeeping (here a sign-in attempt counted) changes nothing shown.
    await db.execute(
      sql`INSERT INTO pattern_ledger.sign_in_limit (key, points, expire) VALUES ('live-test', 1, NULL)`,
    );
    expect(await getDataVersion(db)).toBe(before);
  });

  it('is read only for a live page', async () => {
    const { db } = get();
    expect(await getLiveVersion(db, rangeOf({}))).toBeNull();
    expect(await getLiveVersion(db, rangeOf({ refresh: '10s' }))).toBe(await getDataVersion(db));
  });
});

it('the refresh choice lives in the URL and leaves out its default', () => {
  const params = parseTimeParams({ refresh: '30s' });
  expect(params.refresh).toBe('30s');
  expect(timeSearchParams(params)).toEqual({ refresh: '30s' });
  expect(parseTimeParams({ refresh: 'off' }).refresh).toBeUndefined();
  expect(parseTimeParams({ refresh: '1s' }).refresh).toBeUndefined();
});

describe('"Updated 14:03:12"', () => {
  it("says the moment in the page's zone, on a 24-hour clock", () => {
    const at = Date.parse('2026-03-02T14:03:12.900Z');
    expect(formatClock(at, 'UTC')).toBe('14:03:12');
    expect(formatClock(at, 'Asia/Kolkata')).toBe('19:33:12');
    expect(formatClock(Date.parse('2026-03-02T00:00:05Z'), 'UTC')).toBe('00:00:05');
  });
});
