import { describe, expect, it } from 'vitest';
import { encodeJson, formatFloat32, mapSetToCsv, summarizeMapSet } from '../../src/data/io/encode-maps.js';
import { parseTextTable } from '../../src/data/io/text-table.js';

describe('formatFloat32', () => {
  it('writes the shortest decimal that reads back to the same float32', () => {
    expect([formatFloat32(0.1), formatFloat32(1), formatFloat32(-2.5), formatFloat32(1e-20)]).toEqual([
      '0.1',
      '1',
      '-2.5',
      '1e-20',
    ]);
    expect([formatFloat32(NaN), formatFloat32(Infinity), formatFloat32(-Infinity)]).toEqual(['nan', 'inf', '-inf']);
    const r = new Float32Array(2000).map(() => (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 20 - 10));
    for (const v of r) expect(Math.fround(Number(formatFloat32(v)))).toBe(v);
  });
});

describe('mapSetToCsv', () => {
  it('writes y, x, then one column per map (a stack as name_0..), readable by our own table reader', () => {
    const ny = 3;
    const nx = 4;
    const area = Float32Array.from({ length: ny * nx }, () => Math.random() * 100);
    const pos = Float32Array.from({ length: 2 * ny * nx }, () => 280 + Math.random());
    area[5] = NaN;
    const csv = mapSetToCsv({
      area: { data: area, shape: [ny, nx], unit: 'counts' },
      position: { data: pos, shape: [2, ny, nx] },
    });
    const t = parseTextTable(csv, 'maps.csv');
    expect(t.names).toEqual(['y', 'x', 'area', 'position_0', 'position_1']);
    expect(t.rows).toBe(ny * nx);
    for (let p = 0; p < ny * nx; p++) {
      const row = Array.from(t.values.subarray(p * 5, p * 5 + 5));
      expect(row.slice(0, 2)).toEqual([Math.floor(p / nx), p % nx]);
      expect(Math.fround(row[2]!)).toEqual(area[p]);
      expect(row.slice(3).map(Math.fround)).toEqual([pos[p], pos[ny * nx + p]]);
    }
  });

  it('refuses maps over different pixels', () => {
    expect(() =>
      mapSetToCsv({ a: { data: new Float32Array(4), shape: [2, 2] }, b: { data: new Float32Array(6), shape: [2, 3] } }),
    ).toThrow("map 'b' has 2×3 pixels but 'a' has 2×2");
  });
});

describe('summaries and JSON', () => {
  it('summarises each map over finite values and counts the rest', () => {
    const s = summarizeMapSet({ m: { data: new Float32Array([1, 2, NaN, 5, Infinity]), shape: [5], unit: 'eV' } });
    expect(s.m).toEqual({ shape: [5], unit: 'eV', min: 1, max: 5, mean: 8 / 3, nonFinite: 2 });
  });

  it('encodes typed arrays as arrays and non-finite numbers as null', () => {
    const text = encodeJson({ a: new Float32Array([1.5, NaN]), b: -Infinity, c: { d: [1, 2] }, e: 3n });
    expect(JSON.parse(text)).toEqual({ a: [1.5, null], b: null, c: { d: [1, 2] }, e: 3 });
    expect(text.endsWith('\n')).toBe(true);
  });
});
