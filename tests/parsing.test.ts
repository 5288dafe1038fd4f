import { describe, expect, it } from 'vitest';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { parseCharacteristics } from '@/lib/matched-characteristics';
import { parseRecordId } from '@/lib/record-id';

describe('record ids from URLs', () => {
  it('accepts positive INTEGER ids only', () => {
    expect(parseRecordId('42')).toBe(42);
    for (const bad of ['0', '-1', 'abc', '1.5', '2147483648', '99999999999', '', '1e3'])
      expect(parseRecordId(bad)).toBeNull();
  });
});

describe('leaderboard parameters', () => {
  it('falls back to defaults for malformed values', () => {
    expect(
      parseLeaderboardParams({
        sort: 'DROP TABLE',
        dir: 'sideways',
        page: '-3',
        size: '7',
        q: 'x'.repeat(500),
      }),
    ).toEqual({
      sort: 'occurrences',
      dir: 'desc',
      type: [],
      status: [],
      q: undefined,
      page: 1,
      size: 25,
    });
    expect(
      parseLeaderboardParams({ type: ['test', 'build,fix'], page: '3', size: '50', dir: 'asc' }),
    ).toMatchObject({
      type: ['test', 'build', 'fix'],
      page: 3,
      size: 50,
      dir: 'asc',
    });
  });
});

describe('matched characteristics', () => {
  it('reads objects as readable pairs and keeps invalid JSON raw', () => {
    expect(
      parseCharacteristics('{"input_length":3,"keywords":["a","b"],"files_mentioned":[]}'),
    ).toEqual({
      kind: 'object',
      entries: [
        ['input length', '3'],
        ['keywords', 'a, b'],
        ['files mentioned', '(none)'],
      ],
    });
    expect(parseCharacteristics('{"broken')).toEqual({ kind: 'invalid', raw: '{"broken' });
    expect(parseCharacteristics(null)).toEqual({ kind: 'none' });
    expect(parseCharacteristics('[1,2]')).toEqual({ kind: 'value', text: '1, 2' });
  });
});

describe('savings parameters', () => {
  it('treats empty form fields as absent rather than zero', async () => {
    const { parseSavingsParams } = await import('@/lib/savings-params');
    expect(
      parseSavingsParams({
        type: 'tool_call',
        pattern: '',
        workflow: '',
        notes: 'with',
        usdMin: '',
        usdMax: '',
      }),
    ).toMatchObject({
      type: ['tool_call'],
      pattern: undefined,
      workflow: undefined,
      notes: 'with',
      usdMin: undefined,
      usdMax: undefined,
    });
    expect(parseSavingsParams({ usdMax: '0.5', type: 'bogus' })).toMatchObject({
      usdMax: 0.5,
      type: [],
    });
  });
});
