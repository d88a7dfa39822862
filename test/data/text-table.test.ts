import { describe, expect, it } from 'vitest';
import { parseNumber, parseTextTable } from '../../src/data/io/text-table.js';

describe('parseTextTable', () => {
  const grid = [
    [280, 1, 2],
    [281, 3.5, -4],
    [282, 5e-3, 6],
  ];
  const cases: [string, string, string][] = [
    ['comma', ',', grid.map((r) => r.join(',')).join('\n')],
    ['tab', '\t', grid.map((r) => r.join('\t')).join('\n')],
    ['semicolon', ';', grid.map((r) => r.join(';')).join('\r\n')],
    ['whitespace', 'whitespace', grid.map((r) => '  ' + r.join('   ')).join('\n') + '\n\n'],
  ];
  for (const [label, delimiter, text] of cases) {
    it(`detects the ${label} delimiter`, () => {
      const t = parseTextTable(text, 't.txt');
      expect(t.delimiter).toBe(delimiter);
      expect([t.rows, t.cols]).toEqual([3, 3]);
      expect(Array.from(t.values)).toEqual(grid.flat());
      expect(t.names).toBeNull();
    });
  }

  it('skips # comment lines and blank lines, reads a header row, and numbers lines from 1', () => {
    const t = parseTextTable(
      '# exported by beamline\n\n"Energy (eV)", "px 1",px2,\n# mid comment\n1,2,3,\n4,5,6,\n',
      'h.csv',
    );
    expect(t.names).toEqual(['Energy (eV)', 'px 1', 'px2']);
    expect(Array.from(t.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.lineOf).toEqual([5, 6]);
  });

  it('keeps a whitespace-separated header whose one name holds spaces', () => {
    const t = parseTextTable('Energy (eV)\n1\n2\n', 'e.txt');
    expect([t.names, t.cols, t.rows]).toEqual([['Energy (eV)'], 1, 2]);
    const u = parseTextTable('Binding energy  counts here\n1 2\n', 'u.txt');
    expect([u.names, u.cols]).toEqual([null, 2]);
  });

  it('reads NaN and infinities as NumPy and pandas write them', () => {
    expect([
      parseNumber('nan'),
      parseNumber('NaN'),
      parseNumber('-inf'),
      parseNumber('Infinity'),
      parseNumber('"2.5"'),
    ]).toEqual([NaN, NaN, -Infinity, Infinity, 2.5]);
    expect(parseNumber('abc')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });

  it('can be told there is no header, or that there is one', () => {
    expect(() => parseTextTable('a,b\n1,2', 'x.csv', { header: false })).toThrow(
      "x.csv line 1: 'a' in column 1 is not a number",
    );
    expect(parseTextTable('1,2\n3,4', 'x.csv', { header: true }).names).toEqual(['1', '2']);
  });

  it("reads decimal commas where the delimiter is ';' or a tab (a European spreadsheet's export)", () => {
    const t = parseTextTable('\ufeffEnergy (eV);A;B\r\n284,1;5;-6,5e-1\r\n284,2;"7,25";8\r\n', 'euro.csv');
    expect(t.names).toEqual(['Energy (eV)', 'A', 'B']);
    expect(Array.from(t.values)).toEqual([284.1, 5, -0.65, 284.2, 7.25, 8]);
    expect(Array.from(parseTextTable('1,5\t2\n2,5\t3\n', 't.tsv').values)).toEqual([1.5, 2, 2.5, 3]);
  });

  it('reads space-separated decimal commas (1,5 2,25 3,0) as numbers, not as a comma-separated table', () => {
    const t = parseTextTable('1,5 2,25 3,0\n2,5  3,25 -4,0e-1\n3,5 4,25 5\n', 'spaced.txt');
    expect(t.delimiter).toBe('whitespace');
    expect([t.rows, t.cols]).toEqual([3, 3]);
    expect(Array.from(t.values)).toEqual([1.5, 2.25, 3, 2.5, 3.25, -0.4, 3.5, 4.25, 5]);
    // Behind a header of names (which has no comma) the same rows read the same.
    const h = parseTextTable('energy counts\n284,1 5,5\n284,2 7\n', 'h.dat');
    expect(Array.from(h.values)).toEqual([284.1, 5.5, 284.2, 7]);
    expect(h.names).toEqual(['energy', 'counts']);
  });

  it('keeps comma-separated rows comma-separated: with spaces after the commas, or one comma per line', () => {
    const spaced = parseTextTable('1, 2, 3\n4, 5, 6\n', 'c.csv');
    expect(spaced.delimiter).toBe(',');
    expect(Array.from(spaced.values)).toEqual([1, 2, 3, 4, 5, 6]);
    const pairs = parseTextTable('100,5\n101,7\n', 'p.csv'); // channel, counts — not one column of 100.5, 101.7
    expect([pairs.delimiter, pairs.cols]).toEqual([',', 2]);
    expect(Array.from(pairs.values)).toEqual([100, 5, 101, 7]);
    const leading = parseTextTable('1 ,2 ,3\n', 'l.csv'); // ',2' reads as 0.2 only once spaces are the delimiter
    expect([leading.delimiter, Array.from(leading.values)]).toEqual([',', [1, 2, 3]]);
  });

  it('refuses a space-separated table whose every comma could be a thousands separator, naming the field', () => {
    expect(() => parseTextTable('1,500 2,000\n2,500 3,250\n', 'k.txt')).toThrow(
      "k.txt line 1: '1,500' in column 1 could be 1.5 (decimal comma) or 1500 (thousands separator): every comma in this space-separated table has 3 digits after it; write the numbers with a decimal point, or without thousands separators",
    );
    // One field with another number of decimals settles it for the whole table.
    expect(Array.from(parseTextTable('1,500 2,000\n2,500 3,25\n', 'k.txt').values)).toEqual([1.5, 2, 2.5, 3.25]);
    // Not where ';' or a tab is the delimiter (a European spreadsheet's export, documented since before).
    expect(Array.from(parseTextTable('1,500;2,000\n', 'k.csv').values)).toEqual([1.5, 2]);
  });

  it('names the line of a ragged row, of a bad value, of an empty field', () => {
    expect(() => parseTextTable('1,2,3\n4,5,6\n7,8\n', 'r.csv')).toThrow(
      'r.csv line 3: 2 values where line 1 has 3 (ragged row)',
    );
    expect(() => parseTextTable('E,I\n1,2\n3,x7\n', 'b.csv')).toThrow("b.csv line 3: 'x7' in column 2 is not a number");
    expect(() => parseTextTable('1,,3\n', 'e.csv')).toThrow('e.csv line 1: column 2 is empty');
    expect(() => parseTextTable('E,I\n1,2\n2,\n3,4\n', 'h.csv')).toThrow('h.csv line 3: column 2 is empty');
    expect(() => parseTextTable('1\t2\n3\n', 'o.tsv')).toThrow('o.tsv line 2: 1 value where line 1 has 2 (ragged row)');
    expect(() => parseTextTable('# only comments\n\n', 'n.csv')).toThrow('n.csv: no rows of numbers found');
  });
  it('reads quoted headers, quoted numbers and quoted fields holding the delimiter (csv-parse)', () => {
    const t = parseTextTable(
      '# exported by "Acme", v2\n"Binding Energy (eV)","Intensity, px 1","Intensity; px 2"\n"284.5","1.5",2\n285,"3e2", "-4"\n',
      'q.csv',
    );
    expect(t.delimiter).toBe(',');
    expect(t.names).toEqual(['Binding Energy (eV)', 'Intensity, px 1', 'Intensity; px 2']);
    expect(Array.from(t.values)).toEqual([284.5, 1.5, 2, 285, 300, -4]);
    expect(t.lineOf).toEqual([3, 4]);
    // A ';' inside quotes does not make the table semicolon-separated.
    expect(parseTextTable('"a;b",c\n1,2\n', 'd.csv').delimiter).toBe(',');
    // Quoted names with spaces in a space-separated table stay one name each.
    const w = parseTextTable('"Kinetic energy [keV]" "counts a"\n1 2\n3 4\n', 'w.txt');
    expect([w.names, w.cols, w.rows]).toEqual([['Kinetic energy [keV]', 'counts a'], 2, 2]);
  });

  it('reads a quoted field spanning lines and names later lines by their number in the file', () => {
    const t = parseTextTable('"E\n(eV)",I\n1,2\n3,4\n', 'm.csv');
    expect(t.names).toEqual(['E\n(eV)', 'I']);
    expect(() => parseTextTable('"E\n(eV)",I\n1,2\n3,x\n', 'm.csv')).toThrow(
      "m.csv line 4: 'x' in column 2 is not a number",
    );
  });

  it('refuses a quoted number with a comma in a comma-separated table, naming both readings', () => {
    expect(() => parseTextTable('E,I\n1,"1,500"\n', 'c.csv')).toThrow(
      "c.csv line 2: '1,500' in column 2 is not a number (a quoted number with a comma in a comma-separated table: 1.5 or 1500? write it with a decimal point and no thousands separator)",
    );
  });
});
