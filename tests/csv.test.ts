import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, csvLine, parseCsv, type CsvColumn } from '@/lib/csv';

describe('csv', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvField('a,b', 'text')).toBe('"a,b"');
    expect(csvField('say "hi"', 'text')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo', 'text')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo', 'text')).toBe('"one\r\ntwo"');
    expect(csvField('plain', 'text')).toBe('plain');
    expect(csvField(null, 'text')).toBe('');
  });

  it('defuses text that a spreadsheet would run as a formula, but not numbers', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvField(`${start}SUM(A1)`, 'text').replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvField('=1+1,2', 'text')).toBe(`"'=1+1,2"`);
    expect(csvField(-5, 'number')).toBe('-5');
    expect(csvField(0.96170002, 'real')).toBe('0.9617');
    expect(csvField(Number.NaN, 'number')).toBe('');
    expect(csvField(Date.UTC(2026, 2, 1, 5, 30), 'time')).toBe('2026-03-01T05:30:00.000Z');
    // Exact decimals, as the database wrote them: never a formula, never a float's tail.
    expect(csvField('0.9272', 'decimal')).toBe('0.9272');
    expect(csvField('-0.0024', 'decimal')).toBe('-0.0024');
    expect(csvField('0.1000', 'decimal')).toBe('0.1000');
    expect(csvField('=1+1', 'decimal')).toBe('');
    expect(csvField('NaN', 'decimal')).toBe('');
  });

  it('writes computed ratios at the page’s precision plus two digits', () => {
    expect(csvField(0.04463171036204744, 'number', 5)).toBe('0.04463');
    expect(csvField(1.2345678, 'number', 4)).toBe('1.2346');
    expect(csvField(0.5, 'number', 5)).toBe('0.5');
    expect(csvField(Number.POSITIVE_INFINITY, 'number', 5)).toBe('');
  });

  it('round-trips through the parser', () => {
    type Row = { a: string | null; b: number };
    const columns: CsvColumn<Row>[] = [
      { header: 'a', key: 'a', kind: 'text' },
      { header: 'b', key: 'b', kind: 'number' },
    ];
    const rows: Row[] = [
      { a: 'x, "y"\nz', b: 1.5 },
      { a: null, b: -2 },
      { a: '@home', b: 0 },
    ];
    const text = `\uFEFF${csvHeader(columns)}${rows.map((r) => csvLine(r, columns)).join('')}`;
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x, "y"\nz', '1.5'],
      ['', '-2'],
      ["'@home", '0'],
    ]);
  });
});
