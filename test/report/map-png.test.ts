import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { colormapLut, labelColor, NAN_RGB } from '../../src/report/colormap.js';
import { renderColorbarPng, renderMap, renderMapPng } from '../../src/report/map-png.js';
import { displayRange, quantileSorted } from '../../src/report/range.js';

const pixel = (img: ReturnType<typeof decode>, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('renderMapPng', () => {
  it('decodes to the enlarged size with NaN pixels grey and each map pixel a uniform square', () => {
    const ny = 7;
    const nx = 10;
    const values = Float32Array.from({ length: ny * nx }, () => Math.random());
    values[3 * nx + 4] = NaN;
    const img = decode(renderMapPng(values, ny, nx));
    const s = Math.ceil(256 / 10); // 26: long side 260 ≥ 256
    expect([img.width, img.height, img.channels, img.depth]).toEqual([nx * s, ny * s, 3, 8]);
    for (const [dx, dy] of [
      [0, 0],
      [s - 1, s - 1],
      [5, 9],
    ])
      expect(pixel(img, 4 * s + dx!, 3 * s + dy!)).toEqual([...NAN_RGB]);
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        expect(pixel(img, x * s + s - 1, y * s + s - 1)).toEqual(pixel(img, x * s, y * s));
      }
    }
    expect(pixel(img, 0, 0)).not.toEqual([...NAN_RGB]);
  });

  it('maps vmin to the first colour, vmax and above to the last, and keeps a given scale', () => {
    const values = new Float32Array([0, 5, 10, 20]);
    const r = renderMap(values, 2, 2, { vmin: 0, vmax: 10, colormap: 'magma', scale: 1 });
    expect([r.width, r.height, r.vmin, r.vmax]).toEqual([2, 2, 0, 10]);
    const img = decode(r.png);
    const lut = colormapLut('magma');
    expect(pixel(img, 0, 0)).toEqual(Array.from(lut.subarray(0, 3)));
    expect(pixel(img, 1, 0)).toEqual(Array.from(lut.subarray(128 * 3, 128 * 3 + 3)));
    expect(pixel(img, 0, 1)).toEqual(Array.from(lut.subarray(255 * 3)));
    expect(pixel(img, 1, 1)).toEqual(Array.from(lut.subarray(255 * 3)));
  });

  it('does not enlarge a map that is already large, and colours label maps by class', () => {
    const big = renderMap(new Float32Array(300 * 20).fill(1), 20, 300);
    expect([big.width, big.height]).toEqual([300, 20]);
    const img = decode(renderMapPng(new Float32Array([0, 1, 2, NaN]), 1, 4, { colormap: 'labels', scale: 1 }));
    expect([0, 1, 2, 3].map((x) => pixel(img, x, 0))).toEqual([
      labelColor(0),
      labelColor(1),
      labelColor(2),
      [...NAN_RGB],
    ]);
  });

  it('refuses a log scale over a range that is not positive', () => {
    expect(() => renderMap(new Float32Array([1, 2]), 1, 2, { log: true, vmin: 0, vmax: 2 })).toThrow(
      'a log colour scale needs vmin > 0, not 0',
    );
  });

  it('renders a colour bar low → high', () => {
    const img = decode(renderColorbarPng('viridis', { length: 100, thickness: 8 }));
    const lut = colormapLut('viridis');
    expect([img.width, img.height]).toEqual([100, 8]);
    expect(pixel(img, 0, 4)).toEqual(Array.from(lut.subarray(0, 3)));
    expect(pixel(img, 99, 4)).toEqual(Array.from(lut.subarray(255 * 3)));
    const v = decode(renderColorbarPng('viridis', { length: 50, vertical: true }));
    expect([v.width, v.height]).toEqual([16, 50]);
    expect(pixel(v, 0, 0)).toEqual(Array.from(lut.subarray(255 * 3)));
  });
});

describe('displayRange', () => {
  it('is the 1st–99th percentile of finite values by default, so hot pixels do not wash out the map', () => {
    const values = Float32Array.from({ length: 1001 }, (_, i) => i);
    values[17] = 1e9;
    values[18] = NaN;
    values[19] = -Infinity;
    const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
    expect(displayRange(values)).toEqual([quantileSorted(sorted, 0.01), quantileSorted(sorted, 0.99)]);
    expect(displayRange(values)[1]).toBeLessThan(1000);
    expect(displayRange(values, { vmin: -1, vmax: 2 })).toEqual([-1, 2]);
  });

  it('never returns an empty range', () => {
    expect(displayRange(new Float32Array([3, 3, 3]))).toEqual([2.5, 3.5]);
    expect(displayRange(new Float32Array([NaN]))).toEqual([0, 1]);
    expect(displayRange(new Float32Array([-1, 0, 4, 4]), { log: true })).toEqual([0.4, 40]);
  });

  it('interpolates quantiles like NumPy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20, 30, 40, 50], 0.01)).toBeCloseTo(10.4, 12);
  });
});
