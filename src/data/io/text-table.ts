// Plain-text numeric tables (CSV, TSV, whitespace-separated .txt/.dat): the delimiter is detected,
// '#' lines are comments, quoted fields are read by csv-parse (its browser build, so the library
// bundle stays free of Node built-ins), an optional first row of names is recognised. Browser-safe.
import { parse as parseCsv } from 'csv-parse/browser/esm/sync';
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

/** The line with its quoted parts removed: a delimiter inside quotes does not count. */
function unquotedPart(line: string): string {
  return line.replace(/"(?:[^"]|"")*"?/g, '""');
}

function detectDelimiter(line: string): Delimiter {
  // A semicolon wins over a comma (decimal-comma locales write 1,5;2,5); tab over both.
  const bare = unquotedPart(line);
  if (bare.includes('\t')) return '\t';
  if (bare.includes(';')) return ';';
  if (bare.includes(',')) {
    // '1,5 2,25 3,0': numbers with decimal commas separated by spaces. Read as comma-separated,
    // such a line has fields like '5 2' that are no number, so it is never a valid CSV row.
    const tokens = line.trim().split(/\s+/);
    const spaced =
      tokens.length >= 2 &&
      tokens.every((t) => SPACED_DECIMAL_COMMA.test(t) || (!t.includes(',') && parseNumber(t) !== null));
    return spaced && tokens.some((t) => t.includes(',')) ? 'whitespace' : ',';
  }
  return 'whitespace';
}

/**
 * The first row that is neither blank nor a '#' comment, for detecting the delimiter (lines are
 * joined while a quote is open: a quoted field may hold a line break).
 */
function firstDataLine(text: string): string | undefined {
  let row: string | undefined;
  for (const line of text.split(/\r\n|\n|\r/, 10000)) {
    const t = line.trim();
    if (row === undefined && (t === '' || t.startsWith('#'))) continue;
    row = row === undefined ? t : `${row} ${t}`;
    if ((row.match(/"/g) ?? []).length % 2 === 0) return row;
  }
  return row;
}

interface Row {
  fields: string[];
  /** 1-based line number of the row (its last line, when a quoted field spans lines). */
  line: number;
  /** The row's text as written, trimmed. */
  raw: string;
}

/**
 * The rows of `text` split by csv-parse: quotes (with delimiters or line breaks inside), '#'
 * comment lines, blank lines and a byte-order mark handled; rows may differ in length (checked
 * by the caller, which names the line). Runs of spaces or tabs delimit 'whitespace' tables.
 */
function splitRows(text: string, d: Delimiter, name: string): Row[] {
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      delimiter: d === 'whitespace' ? [' ', '\t'] : d,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: d !== 'whitespace',
      bom: true,
      info: true,
      raw: true,
    }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const where = err.lines ? ` line ${err.lines}` : '';
    throw new InputError(`${name}${where}: cannot read it as a table (${(err.message ?? String(e)).split('\n')[0]})`);
  }
  const rows: Row[] = [];
  for (const { record, raw, info } of records) {
    let fields = record;
    if (d === 'whitespace') fields = fields.filter((f) => f !== '');
    else if (fields.length > 1 && fields[fields.length - 1] === '') fields = fields.slice(0, -1); // trailing delimiter
    // csv-parse keeps a line of blanks only (spaces in a whitespace table) as empty fields.
    if (fields.length === 0 || (fields.length === 1 && fields[0]!.trim() === '')) continue;
    rows.push({ fields, line: info.lines, raw: raw.trim() });
  }
  return rows;
}

/** A number, or NaN/±Inf spelled as NumPy and pandas write them; null when the field is not a number. */
export function parseNumber(field: string): number | null {
  // A field still in quotes (a caller's own split line): the quotes are not part of the number.
  const t = field.trim();
  const s = t.length >= 2 && /^(".*"|'.*')$/.test(t) ? t.slice(1, -1).trim() : t;
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
  const first = firstDataLine(text);
  const delimiter: Delimiter = opts.delimiter ?? (first === undefined ? 'whitespace' : detectDelimiter(first));
  const rows = first === undefined ? [] : splitRows(text, delimiter, name);
  let names: string[] | null = null;
  let cols = -1;
  let firstLine = 0;
  const values: number[] = [];
  const lineOf: number[] = [];
  // Whitespace tables: the first decimal-comma field, and whether any could not be a thousands separator.
  let firstComma: { field: string; line: number; column: number } | null = null;
  let decimalCommaCertain = false;
  for (const { fields, line: lineNo, raw } of rows) {
    if (names && lineOf.length === 0 && delimiter === 'whitespace' && fields.length !== cols) {
      // A whitespace-separated header may hold names with spaces ('Energy (eV)'): the first data
      // row sets the column count; names are kept only where they still line up.
      names = fields.length === 1 ? [names.join(' ')] : null;
      cols = fields.length;
      firstLine = lineNo;
    }
    if (cols < 0) {
      const wordy = fields.some((f) => f !== '' && parseNumber(f) === null && !DECIMAL_COMMA.test(f));
      const isHeader = opts.header === 'auto' || opts.header === undefined ? wordy : opts.header;
      cols = fields.length;
      firstLine = lineNo;
      if (isHeader) {
        names = fields.map((f) => f.trim());
        continue;
      }
    }
    if (fields.length !== cols) {
      // '2,' in a two-column table: the trailing delimiter was taken for a line ending, but a value is missing.
      if (fields.length === cols - 1 && delimiter !== 'whitespace' && raw.endsWith(delimiter)) {
        throw new InputError(`${name} line ${lineNo}: column ${cols} is empty`);
      }
      throw new InputError(
        `${name} line ${lineNo}: ${fields.length} value${fields.length === 1 ? '' : 's'} where line ${firstLine} has ${cols} (ragged row)`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const f = fields[j]!.trim();
      const comma = delimiter !== ',' && DECIMAL_COMMA.test(f);
      if (comma && delimiter === 'whitespace') {
        firstComma ??= { field: f, line: lineNo, column: j + 1 };
        decimalCommaCertain ||= !THOUSANDS_LIKE.test(f);
      }
      const v = comma ? Number(f.replace(',', '.')) : parseNumber(f);
      if (v === null) {
        const raw = fields[j]!;
        const why =
          delimiter === ',' && DECIMAL_COMMA.test(f)
            ? ` (a quoted number with a comma in a comma-separated table: ${Number(f.replace(',', '.'))} or ${Number(f.replace(',', ''))}? write it with a decimal point and no thousands separator)`
            : '';
        throw new InputError(
          `${name} line ${lineNo}: ${raw === '' ? `column ${j + 1} is empty` : `'${raw.slice(0, 40)}' in column ${j + 1} is not a number${why}`}`,
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
    delimiter,
    lineOf,
  };
}
