// Plain-text numeric tables (CSV, TSV, whitespace-separated .txt/.dat): the delimiter is detected,
// '#' lines are comments, an optional first row of names is recognised. Browser-safe: text in.
import { InputError } from '../../engine/errors.js';

export type Delimiter = ',' | '\t' | ';' | 'whitespace';

export interface TextTable {
  /** Row-major values, rows × cols. */
  values: Float64Array;
  rows: number;
  cols: number;
  /** Column names from the header row, if the table has one. */
  names: string[] | null;
  delimiter: Delimiter;
  /** 1-based line number in the file of each data row (for messages). */
  lineOf: number[];
}

export interface TextTableOptions {
  /** 'auto' (default): the first row is a header when any of its fields is not a number. */
  header?: 'auto' | boolean;
  delimiter?: Delimiter;
}

/**
 * 2,5 or -1,25e-3 — a number in a decimal-comma locale (a European spreadsheet's export). Read as
 * such where the delimiter is not the comma (';', a tab, or runs of spaces).
 */
const DECIMAL_COMMA = /^[+-]?\d*,\d+([eE][+-]?\d+)?$/;
/** A decimal-comma number with a digit before the comma: what makes a spaced line decimal-comma. */
const SPACED_DECIMAL_COMMA = /^[+-]?\d+,\d+([eE][+-]?\d+)?$/;
/** '1,500' or '-12,250': also how English formatting writes 1500 and -12250 (a thousands separator). */
const THOUSANDS_LIKE = /^[+-]?\d{1,3},\d{3}$/;

function detectDelimiter(line: string): Delimiter {
  // A semicolon wins over a comma (decimal-comma locales write 1,5;2,5); tab over both.
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  if (line.includes(',')) {
    // '1,5 2,25 3,0': numbers with decimal commas separated by spaces. Read as comma-separated,
    // such a line has fields like '5 2' that are no number, so it is never a valid CSV row.
    const tokens = line.split(/\s+/);
    const spaced =
      tokens.length >= 2 &&
      tokens.every((t) => SPACED_DECIMAL_COMMA.test(t) || (!t.includes(',') && parseNumber(t) !== null));
    return spaced && tokens.some((t) => t.includes(',')) ? 'whitespace' : ',';
  }
  return 'whitespace';
}

function splitLine(line: string, d: Delimiter): string[] {
  if (d === 'whitespace') return line.trim().split(/\s+/);
  const fields = line.split(d).map((f) => f.trim());
  if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop(); // trailing delimiter
  return fields;
}

function unquote(s: string): string {
  return s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === "'" && s.endsWith("'")))
    ? s.slice(1, -1).trim()
    : s;
}

/** A number, or NaN/±Inf spelled as NumPy and pandas write them; null when the field is not a number. */
export function parseNumber(field: string): number | null {
  const s = unquote(field);
  if (s === '') return null;
  const n = Number(s);
  if (!Number.isNaN(n)) return n;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return null;
}

/**
 * Parse a numeric table. `name` (the file name) starts every error message; a ragged row or a
 * field that is not a number names its line number.
 */
export function parseTextTable(text: string, name: string, opts: TextTableOptions = {}): TextTable {
  const lines = text.split(/\r\n|\n|\r/);
  let delimiter: Delimiter | undefined = opts.delimiter;
  let names: string[] | null = null;
  let cols = -1;
  let firstLine = 0;
  const values: number[] = [];
  const lineOf: number[] = [];
  // Whitespace tables: the first decimal-comma field, and whether any could not be a thousands separator.
  let firstComma: { field: string; line: number; column: number } | null = null;
  let decimalCommaCertain = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const lineNo = i + 1;
    delimiter ??= detectDelimiter(t);
    const fields = splitLine(t, delimiter);
    if (names && lineOf.length === 0 && delimiter === 'whitespace' && fields.length !== cols) {
      // A whitespace-separated header may hold names with spaces ('Energy (eV)'): the first data
      // row sets the column count; names are kept only where they still line up.
      names = fields.length === 1 ? [names.join(' ')] : null;
      cols = fields.length;
      firstLine = lineNo;
    }
    if (cols < 0) {
      const wordy = fields.some((f) => unquote(f) !== '' && parseNumber(f) === null && !DECIMAL_COMMA.test(f));
      const isHeader = opts.header === 'auto' || opts.header === undefined ? wordy : opts.header;
      cols = fields.length;
      firstLine = lineNo;
      if (isHeader) {
        names = fields.map(unquote);
        continue;
      }
    }
    if (fields.length !== cols) {
      // '2,' in a two-column table: the trailing delimiter was taken for a line ending, but a value is missing.
      if (fields.length === cols - 1 && delimiter !== 'whitespace' && t.endsWith(delimiter)) {
        throw new InputError(`${name} line ${lineNo}: column ${cols} is empty`);
      }
      throw new InputError(
        `${name} line ${lineNo}: ${fields.length} value${fields.length === 1 ? '' : 's'} where line ${firstLine} has ${cols} (ragged row)`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const f = unquote(fields[j]!);
      const comma = delimiter !== ',' && DECIMAL_COMMA.test(f);
      if (comma && delimiter === 'whitespace') {
        firstComma ??= { field: f, line: lineNo, column: j + 1 };
        decimalCommaCertain ||= !THOUSANDS_LIKE.test(f);
      }
      const v = comma ? Number(f.replace(',', '.')) : parseNumber(f);
      if (v === null) {
        const raw = fields[j]!;
        throw new InputError(
          `${name} line ${lineNo}: ${raw === '' ? `column ${j + 1} is empty` : `'${raw.slice(0, 40)}' in column ${j + 1} is not a number`}`,
        );
      }
      values.push(v);
    }
    lineOf.push(lineNo);
  }
  if (lineOf.length === 0) throw new InputError(`${name}: no rows of numbers found`);
  if (firstComma && !decimalCommaCertain) {
    const { field, line, column } = firstComma;
    throw new InputError(
      `${name} line ${line}: '${field}' in column ${column} could be ${Number(field.replace(',', '.'))} (decimal comma) or ${Number(field.replace(',', ''))} (thousands separator): ` +
        `every comma in this space-separated table has 3 digits after it; write the numbers with a decimal point, or without thousands separators`,
    );
  }
  return {
    values: Float64Array.from(values),
    rows: lineOf.length,
    cols,
    names,
    delimiter: delimiter ?? 'whitespace',
    lineOf,
  };
}
