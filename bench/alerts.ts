/**
 * The `alerts` section: the database time of one evaluation round of 500 rules (every rule due at
 * once, as with 500 rules evaluated every minute), on whatever data the database holds. The rules
 * mix every windowed metric, scope and window, plus data-quality and not-seen rules; they have no
 * channel and are removed afterwards.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { createAlertRule } from '../db/mutations/alerts';
import { queryRows } from '../db/sql';
import { WINDOW_CHOICES } from '../lib/alerts/metrics';
import { alertRuleInput } from '../lib/alerts/rules';
import { evaluateDueRules } from '../server/alerts/evaluate';

export async function alertEvaluationCost(url: string, rules = 500) {
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  const db = handle.db;
  // At the end of the data (the benchmark set ends in the past), so the windows hold rows.
  const [latest] = await queryRows<{ at: number | null }>(
    db,
    sql`SELECT (date_part('epoch', max(detected_at)) * 1000)::float8 AS at FROM pattern_occurrences`,
  );
  const at = new Date(Math.floor(Math.min(latest?.at ?? Date.now(), Date.now()) / 60_000) * 60_000);
  const patterns = await queryRows<{ id: number; type: string }>(
    db,
    sql`SELECT id::int AS id, pattern_type::text AS type FROM operation_patterns ORDER BY id LIMIT 200`,
  );
  const types = [...new Set(patterns.map((p) => p.type))];
  const metrics = ['usd_saved', 'tokens_saved', 'occurrences', 'avg_similarity', 'roi'] as const;
  const ids: number[] = [];
  try {
    for (let i = 0; i < rules; i++) {
      const kind = i % 10;
      const scope =
        kind < 4
          ? { scopeKind: 'pattern', scopeValue: String(patterns[i % patterns.length]!.id) }
          : kind < 7
            ? { scopeKind: 'pattern_type', scopeValue: types[i % types.length]! }
            : kind < 8
              ? { scopeKind: 'optimization_type', scopeValue: 'tool_call' }
              : { scopeKind: 'all' };
      const metric =
        i % 50 === 0
          ? 'not_seen'
          : i % 50 === 1
            ? 'quality'
            : scope.scopeKind === 'optimization_type'
              ? 'usd_saved'
              : metrics[i % metrics.length]!;
      const input = alertRuleInput.parse({
        name: `bench rule ${i}`,
        metric,
        ...(metric === 'quality' ? { scopeKind: 'all', qualityCheck: 'tokens-mismatch' } : scope),
        windowMinutes: String(WINDOW_CHOICES[i % WINDOW_CHOICES.length]),
        compare: i % 3 === 0 && !['not_seen', 'quality'].includes(metric) ? 'change' : 'value',
        direction: 'below',
        criticalThreshold: '0',
        everyMinutes: '1',
      });
      ids.push(await createAlertRule(db, input, 'bench', at));
    }
    const started = performance.now();
    const done = await evaluateDueRules(db, at);
    const roundMs = performance.now() - started;
    const [again] = await queryRows<{ due: number }>(
      db,
      sql`SELECT count(*)::int AS due FROM pattern_ledger.alert_rule
        WHERE created_by = 'bench' AND next_evaluation_at <= ${at.toISOString()}::timestamptz`,
    );
    return {
      rules,
      // Rules already there and due (the demo's) are evaluated in the same round.
      evaluated: done.length,
      stillDue: again?.due ?? 0,
      roundMs: Math.round(roundMs),
      perRuleMs: Math.round((roundMs / done.length) * 100) / 100,
      targetMs: 1000,
      shareOfTarget: Math.round((roundMs / 1000) * 100) / 100,
    };
  } finally {
    await db.execute(sql`DELETE FROM pattern_ledger.alert_rule WHERE created_by = 'bench'`);
    await handle.close();
  }
}
