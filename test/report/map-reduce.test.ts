// Large maps in the report: drawn at screen size (block means, labels by their commonest value),
// with a note that the full maps are the .npy files.
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { csvChoice, csvSizeEstimate, CSV_AUTO_MAX_BYTES } from '../../src/cli/csv-option.js';
import { mapSetToCsv } from '../../src/data/io/encode-maps.js';
import { mapFigure } from '../../src/report/html.js';
import { labelColor } from '../../src/report/colormap.js';
import { MAP_MAX_SIDE, reduceBlocks, renderMap } from '../../src/report/map-png.js';

const seed = (Date.now() % 100000) + 1;
let state = seed;
const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

describe('report map images of large maps', () => {
  it('a 2000 × 1200 map is drawn at most MAP_MAX_SIDE wide, with its display range from the full map', () => {
    const [ny, nx] = [1200, 2000];
    const values = Float32Array.from({ length: ny * nx }, () => random());
    const r = renderMap(values, ny, nx);
    // Block means of uniform noise crowd around 0.5; the range still spans the pixels' own spread.
    expect(r.vmax - r.vmin, `seed ${seed}`).toBeGreaterThan(0.9);
    const img = decode(r.png);
    const f = Math.ceil(nx / MAP_MAX_SIDE);
    expect([img.width, img.height], `seed ${seed}`).toEqual([Math.ceil(nx / f), Math.ceil(ny / f)]);
    expect(Math.max(img.width, img.height)).toBeLessThanOrEqual(MAP_MAX_SIDE);
    expect([r.reduction, r.mapNy, r.mapNx]).toEqual([f, ny, nx]);
    // A PNG of a few hundred kB, not the ~10 MB of the full map.
    expect(r.png.length, `seed ${seed}`).toBeLessThan(1.5e6);
  });

  it('a map at most MAP_MAX_SIDE long is not reduced', () => {
    const r = renderMap(new Float32Array(MAP_MAX_SIDE * 3), 3, MAP_MAX_SIDE);
    expect([r.reduction, r.width, r.height]).toEqual([1, MAP_MAX_SIDE, 3]);
  });

  it('block means skip NaN; label blocks take the commonest label', () => {
    // 3 × 5 map in 2 × 2 blocks (partial at the edges).
    const v = [1, 3, 5, NaN, 9, 5, 7, NaN, NaN, 1, 2, 4, 6, 8, 10];
    const m = reduceBlocks(v, 3, 5, 2, false);
    expect([m.ny, m.nx]).toEqual([2, 3]);
    expect(Array.from(m.values)).toEqual([4, 5, 5, 3, 7, 10]);
    const allNaN = reduceBlocks([NaN, NaN, NaN, NaN], 2, 2, 2, false);
    expect(Number.isNaN(allNaN.values[0])).toBe(true);
    const labels = [2, 2, 0, 1, 2, 1, 1, 1, 0, 0, -1, -1];
    expect(Array.from(reduceBlocks(labels, 3, 4, 2, true).values)).toEqual([2, 1, 0, -1]);
  });

  it('a label map stays in label colours when reduced', () => {
    const [ny, nx] = [1030, 1030];
    const labels = Float32Array.from({ length: ny * nx }, (_, p) => (Math.floor(p / nx) < ny / 2 ? 0 : 3));
    const r = renderMap(labels, ny, nx, { colormap: 'labels' });
    const img = decode(r.png);
    expect(r.reduction).toBe(3);
    expect(Array.from(img.data.subarray(0, 3))).toEqual([...labelColor(0)]);
    const last = (img.width * img.height - 1) * 3;
    expect(Array.from(img.data.subarray(last, last + 3))).toEqual([...labelColor(3)]);
  });

  it("the report's figure says a map was reduced and where the full map is", () => {
    const r = renderMap(new Float32Array(1100 * 600).fill(1), 600, 1100);
    expect(mapFigure({ title: 'area', map: r }).html).toContain(
      'shown 367×200: mean of each 3×3 block of the 1100×600 map; full map in the .npy file',
    );
    expect(mapFigure({ title: 'area', map: renderMap(new Float32Array(4).fill(1), 2, 2) }).html).not.toContain('block');
  });
});

describe('maps.csv above its size limit', () => {
  const maps = (pixels: number, k: number) =>
    Object.fromEntries(
      Array.from({ length: k }, (_, i) => [
        `m${i}`,
        { data: new Float32Array(pixels).fill(0.123456), shape: [pixels] },
      ]),
    );

  it('is skipped with a line saying how to get it, and written with --csv', () => {
    const big = maps(2_000_000, 4);
    const skip = csvChoice({}, big);
    expect(skip.write).toBe(false);
    expect(skip.skipped).toMatch(
      /^maps\.csv skipped: it would be about \d+ MB; the maps are in the \.npy files \(add --csv to write it too\)$/,
    );
    expect(csvChoice({ csv: true }, big)).toEqual({ write: true });
    expect(csvChoice({}, maps(10_000, 4))).toEqual({ write: true });
    expect(csvSizeEstimate(big)).toBeGreaterThan(CSV_AUTO_MAX_BYTES);
  });

  it('estimates the size it would have within a factor 1.5', () => {
    const m = {
      a: { data: Float32Array.from({ length: 20000 }, () => 1000 * random()), shape: [100, 200] },
      b: { data: Float32Array.from({ length: 60000 }, () => random() - 0.5), shape: [3, 100, 200] },
    };
    const ratio = csvSizeEstimate(m) / mapSetToCsv(m).length;
    expect(ratio, `seed ${seed}`).toBeGreaterThan(1 / 1.5);
    expect(ratio, `seed ${seed}`).toBeLessThan(1.5);
  });
});
