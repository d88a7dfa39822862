import { describe, expect, it } from 'vitest';
import { makeSpectrumImage } from '../../src/data/types.js';
import { assertFinite, scanSpectra } from '../../src/data/validate.js';
import { inputErrorOf } from './input-error.js';

// A random map with values in [1, 2): each test plants its problems at known places.
function randomMap(ny: number, nx: number, channels: number) {
  const data = Float32Array.from({ length: ny * nx * channels }, () => 1 + Math.random());
  return makeSpectrumImage(data, ny, nx, channels, undefined, { meta: { source: 'input.npy' } });
}
const at = (img: ReturnType<typeof randomMap>, y: number, x: number, c: number) => (y * img.nx + x) * img.channels + c;

describe('scanSpectra', () => {
  it('counts NaN, Inf, negative values and all-zero spectra with the first location of each', () => {
    const img = randomMap(20, 50, 30);
    img.data[at(img, 12, 40, 17)] = NaN;
    img.data[at(img, 19, 3, 0)] = NaN;
    img.data[at(img, 5, 7, 29)] = Infinity;
    img.data[at(img, 6, 0, 1)] = -Infinity;
    img.data[at(img, 3, 9, 4)] = -0.5;
    img.data[at(img, 8, 1, 2)] = -2;
    img.data.fill(0, at(img, 4, 4, 0), at(img, 4, 6, 0)); // pixels (4,4) and (4,5)
    const s = scanSpectra(img);
    expect(s.nan).toEqual({ count: 2, first: { pixel: 12 * 50 + 40, y: 12, x: 40, channel: 17 } });
    expect(s.inf).toEqual({ count: 2, first: { pixel: 5 * 50 + 7, y: 5, x: 7, channel: 29 } });
    expect(s.negative).toEqual({ count: 2, first: { pixel: 3 * 50 + 9, y: 3, x: 9, channel: 4 } });
    expect(s.zeroSpectra).toEqual({ count: 2, first: { pixel: 4 * 50 + 4, y: 4, x: 4, channel: 0 } });
    expect(s.values).toBe(20 * 50 * 30);
    expect(s.min).toBe(-2);
    let total = 0;
    let max = -Infinity;
    for (const v of img.data) {
      if (!Number.isFinite(v)) continue;
      total += v;
      max = Math.max(max, v);
    }
    expect(s.total).toBeCloseTo(total, 6);
    expect(s.max).toBe(max);
    expect(s.mean).toBeCloseTo(total / (s.values - 4), 9);
  });

  it('reports a clean image as clean, and an all-NaN one with NaN statistics', () => {
    const s = scanSpectra(randomMap(3, 4, 5));
    expect([s.nan.count, s.inf.count, s.negative.count, s.zeroSpectra.count]).toEqual([0, 0, 0, 0]);
    expect(s.nan.first).toBeNull();
    expect(s.min).toBeGreaterThanOrEqual(1);
    const bad = randomMap(1, 2, 3);
    bad.data.fill(NaN);
    const t = scanSpectra(bad);
    expect([t.nan.count, t.min, t.mean, t.total]).toEqual([6, NaN, NaN, 0]);
  });
});

describe('assertFinite', () => {
  it('passes finite data and names the first bad value and the total count', () => {
    const img = randomMap(20, 50, 30);
    assertFinite(img);
    img.data[at(img, 12, 40, 17)] = NaN;
    img.data[at(img, 13, 0, 0)] = Infinity;
    img.data[at(img, 19, 49, 29)] = NaN;
    expect(inputErrorOf(() => assertFinite(img))).toBe(
      'input.npy: pixel (12, 40) channel 17 is NaN (3 non-finite values in all)',
    );
    img.data[at(img, 1, 2, 3)] = -Infinity;
    expect(inputErrorOf(() => assertFinite(img, 'stack.csv'))).toBe(
      'stack.csv: pixel (1, 2) channel 3 is -Inf (4 non-finite values in all)',
    );
  });

  it('names a spectrum (not a pixel) in a list, and a single bad value in the singular', () => {
    const list = makeSpectrumImage(
      Float32Array.from({ length: 12 }, (_, i) => i),
      1,
      4,
      3,
    );
    list.data[7] = Infinity;
    expect(inputErrorOf(() => assertFinite(list, 'list.csv'))).toBe(
      'list.csv: spectrum 2 channel 1 is +Inf (1 non-finite value in all)',
    );
  });
});
