/**
 * CSV that is safe to open in a spreadsheet: RFC 4180 quoting (commas, quotes, line breaks), and
 * text that starts with a formula character (= + - @, tab, carriage return) prefixed with an
 * apostrophe so it is shown, not evaluated. Numbers are written as they are.
 */
/**
 * `real`: a number stored as 4-byte float, written with the 7 significant digits it holds.
 * `decimal`: an exact decimal the database wrote as text (money: NUMERIC as stored, REAL as the
 * shortest decimal that reads back as it), written digit for digit.
 */
export type CsvKind = 'text' | 'number' | 'real' | 'decimal' | 'time';

const DECIMAL = /^-?\d+(\.\d+)?$/;
export type CsvColumn<T> = {
  header: string;
  key: keyof T & string;
  kind: CsvKind;
  /** For a computed ratio: decimal places to write (the page's precision plus two digits). */
  places?: number;
};

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: unknown, kind: CsvKind, places?: number): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (kind === 'time') {
    const at = new Date(Number(value));
    // 'infinity' and years a Date cannot hold are written as empty, not thrown.
    if (Number.isNaN(at.getTime())) return '';
    text = at.toISOString();
  } else if (kind === 'decimal') {
    text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    if (!DECIMAL.test(text)) return '';
  } else if (kind === 'number' || kind === 'real') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return '';
    text = String(
      kind === 'real'
        ? Number(value.toPrecision(7))
        : places === undefined
          ? value
          : Number(value.toFixed(places)),
    );
  } else {
    text = typeof value === 'string' ? value : JSON.stringify(value);
    if (FORMULA_START.test(text)) text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine<T>(row: T, columns: readonly CsvColumn<T>[]): string {
  return `${columns.map((c) => csvField(row[c.key], c.kind, c.places)).join(',')}\r\n`;
}

export function csvHeader<T>(columns: readonly CsvColumn<T>[]): string {
  return `${columns.map((c) => csvField(c.header, 'text')).join(',')}\r\n`;
}

/** Parses CSV as written above (for tests and tools): records of fields, quotes undone. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
