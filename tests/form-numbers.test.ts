/**
 * Every id and number a form or action takes, fed the numbers at the edges of the columns they
 * meet (2^31, 2^53, -1, 1e309, NaN, 20 digits): a refusal naming the field (or, for an id that
 * fits its column but names nothing, "not found"), never an error, and nothing written.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { deleteChannelAction, sendTestAction } from '@/app/admin/channels/actions';
import { revokeKey } from '@/app/admin/api-keys/actions';
import {
  backtestRule,
  createRule,
  createSchedule,
  deleteRule,
  deleteSchedule,
  silenceRule,
  updateRule,
} from '@/app/alerts/actions';
import { saveNote } from '@/server/actions/notes';
import { submitReview } from '@/server/actions/review';
import {
  deleteViewAction,
  pinViewAction,
  renameViewAction,
  shareViewAction,
  unpinViewAction,
} from '@/server/actions/views';
import { queryRows } from '@/db/sql';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { signInAs } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const EDGES = {
  '2^31': '2147483648',
  '2^53': '9007199254740992',
  '-1': '-1',
  '1e309': '1e309',
  NaN: 'NaN',
  '20 digits': '12345678901234567890',
} as const;
type Edge = keyof typeof EDGES;
/**
 * `valid`: values the field may hold (a threshold of -1), not sent. `absent`: values that fit the
 * column but name no row, answered "not found" or refused naming the field.
 */
type Field = { name: string; valid?: Edge[]; absent?: Edge[] };

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
};

const RULE = {
  name: 'Edges',
  metric: 'usd_saved',
  scopeKind: 'all',
  windowMinutes: '1440',
  compare: 'value',
  direction: 'below',
  warningThreshold: '5',
  everyMinutes: '5',
};
const SCHEDULE = { name: 'Edges', cadence: 'weekly', weekday: '1', hour: '8', tz: 'UTC' };

type Call = {
  what: string;
  fields: Field[];
  call: (field: string, value: string) => Promise<unknown>;
};

/** Bigint ids of Pattern Ledger's own rows: 2^31 fits, and names nothing. */
const OWN_ID: Field = { name: 'id', absent: ['2^31'] };
const byId = (
  what: string,
  action: (state: unknown, data: FormData) => Promise<unknown>,
): Call => ({
  what,
  fields: [OWN_ID],
  call: (_field, value) => action(null, form({ id: value })),
});

const CALLS: Call[] = [
  {
    what: 'createRule',
    fields: [
      { name: 'windowMinutes' },
      { name: 'everyMinutes' },
      { name: 'warningThreshold', valid: ['2^31', '-1'] },
      { name: 'criticalThreshold', valid: ['2^31', '-1'] },
      { name: 'scopeValue' },
      { name: 'channelIds' },
    ],
    call: (field, value) =>
      createRule(
        null,
        form({
          ...RULE,
          ...(field === 'scopeValue' ? { scopeKind: 'pattern' } : {}),
          // A critical threshold below the warning one, so an edge value is the only fault.
          ...(field === 'criticalThreshold' ? { warningThreshold: '1e14' } : {}),
          [field]: value,
        }),
      ),
  },
  {
    what: 'updateRule',
    fields: [OWN_ID, { name: 'windowMinutes' }, { name: 'scopeValue' }],
    call: (field, value) =>
      updateRule(
        null,
        form({
          ...RULE,
          id: '1',
          ...(field === 'scopeValue' ? { scopeKind: 'pattern' } : {}),
          [field]: value,
        }),
      ),
  },
  {
    what: 'backtestRule',
    fields: [{ name: 'windowMinutes' }, { name: 'everyMinutes' }, { name: 'scopeValue' }],
    call: (field, value) =>
      backtestRule({
        ...RULE,
        ...(field === 'scopeValue' ? { scopeKind: 'pattern' } : {}),
        [field]: value,
      }),
  },
  {
    what: 'silenceRule',
    fields: [OWN_ID, { name: 'hours' }],
    call: (field, value) =>
      silenceRule(null, form({ id: '1', mode: 'snooze', hours: '2', [field]: value })),
  },
  byId('deleteRule', deleteRule),
  {
    what: 'createSchedule',
    fields: [{ name: 'weekday' }, { name: 'hour' }, { name: 'channelIds' }],
    call: (field, value) => createSchedule(null, form({ ...SCHEDULE, [field]: value })),
  },
  byId('deleteSchedule', deleteSchedule),
  byId('deleteChannelAction', deleteChannelAction),
  byId('sendTestAction', sendTestAction),
  byId('revokeKey', revokeKey),
  byId('deleteViewAction', deleteViewAction),
  byId('pinViewAction', pinViewAction),
  byId('unpinViewAction', unpinViewAction),
  {
    what: 'renameViewAction',
    fields: [OWN_ID],
    call: (_field, value) => renameViewAction(null, form({ id: value, name: 'renamed' })),
  },
  {
    what: 'shareViewAction',
    fields: [OWN_ID],
    call: (_field, value) => shareViewAction(null, form({ id: value, shared: 'on' })),
  },
  {
    what: 'saveNote',
    fields: [{ name: 'id' }],
    call: (_field, value) => saveNote({ id: Number(value), expected: null, note: 'fine' }),
  },
  {
    what: 'submitReview',
    // The pattern id of an INTEGER column on the seed report's shape, BIGINT on the full one.
    fields: [{ name: 'patternId', absent: ['2^31'] }],
    call: (_field, value) =>
      submitReview({
        patternId: Number(value),
        action: 'comment',
        note: 'fine',
        expectedVersion: 'x',
      }),
  },
];

async function rowCounts(db: Parameters<typeof queryRows>[0]): Promise<string> {
  const [row] = await queryRows<{ rows: string }>(
    db,
    sql`SELECT concat_ws(',', (SELECT count(*) FROM pattern_ledger.alert_rule),
        (SELECT count(*) FROM pattern_ledger.alert_rule_channel),
        (SELECT count(*) FROM pattern_ledger.report_schedule),
        (SELECT count(*) FROM pattern_ledger.alert_channel),
        (SELECT count(*) FROM pattern_ledger.alert_delivery),
        (SELECT count(*) FROM pattern_ledger.saved_view),
        (SELECT count(*) FROM pattern_ledger.api_key WHERE revoked_at IS NULL),
        (SELECT count(*) FROM pattern_ledger.note_history),
        (SELECT count(*) FROM pattern_ledger.review_history),
        (SELECT max(snoozed_until)::text FROM pattern_ledger.alert_rule)) AS rows`,
  );
  return row!.rows;
}

describeEachDatabase('numbers from forms', { seed: true }, (get) => {
  beforeAll(() => useAsAppDatabase(get()));

  it('refuses every edge number in every numeric field, naming it, and writes nothing', async () => {
    await signInAs(await getAuth(), 'admin');
    const before = await rowCounts(get().db);
    const failures: string[] = [];
    for (const { what, fields, call } of CALLS) {
      for (const field of fields) {
        for (const [edge, value] of Object.entries(EDGES) as [Edge, string][]) {
          if (field.valid?.includes(edge)) continue;
          const answer = (await call(field.name, value)) as {
            ok: boolean;
            kind?: string;
            fieldErrors?: Record<string, string[]>;
            message?: string;
          };
          const named =
            answer.kind === 'invalid' && (answer.fieldErrors?.[field.name]?.length ?? 0) > 0;
          const absent = (field.absent?.includes(edge) ?? false) && answer.kind === 'not_found';
          const refused = answer.ok === false && (named || absent);
          if (!refused)
            failures.push(`${what} ${field.name}=${edge}: ${JSON.stringify(answer).slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCounts(get().db)).toBe(before);
  });
});
