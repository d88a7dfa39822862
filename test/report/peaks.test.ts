// The peaks report and accuracy helpers: unconverged and empty pixels are flagged, the right
// pixels are picked for spectra, a list of spectra gets no maps, and the accuracy numbers are
// the medians/percentiles they claim to be.
import { describe, expect, it } from 'vitest';
import { makeSpectrumImage, type MapSet } from '../../src/data/types.js';
import { openEngine } from '../../src/engine/index.js';
import { fitPeaks, mo3dMap } from '../../src/methods/peaks/index.js';
import { peakAccuracy, quantile } from '../../src/report/peaks-accuracy.js';
import { peakMedians, peaksReport, pixelStatus } from '../../src/report/peaks.js';

const info = { title: 'test <report>', source: 'unit test', adapter: 'CPU reference', given: { peaks: ['228'] } };

describe('peaks report', () => {
  it('flags unconverged and empty pixels and shows their spectra', async () => {
    const { image, fitOptions } = mo3dMap({ nx: 4, ny: 3, seed: 5 });
    image.data.fill(0, 2 * image.channels, 3 * image.channels); // pixel 2 has no counts
    const engine = await openEngine({ backend: 'cpu' });
    // Two iterations stop almost every pixel at the limit.
    const r = await fitPeaks(engine, image, { ...fitOptions, maxIterations: 2 });
    const status = pixelStatus(r);
    expect(status[2]).toBe(2);
    const limited = Array.from(status).filter((s) => s === 1).length;
    expect(limited).toBeGreaterThan(0);
    const html = peaksReport(r, image, info);
    expect(html).toContain(`⚠ ${limited} pixel(s) stopped at the iteration limit (2)`);
    expect(html).toContain('⚠ 1 pixel(s) hold no counts');
    expect(html).toMatch(/not converged after 2 iterations/);
    expect(html).toContain('test &lt;report&gt;');
    expect(html).not.toContain('test <report>');
    expect(html).toMatch(/<section id="s\d-maps">/);
    // No pixel converged: the medians table says so instead of printing NaN.
    expect(html).not.toContain('>NaN<');
  });

  it('marks a software adapter as the engine says (GpuEngine.isSoftware), not by its name', async () => {
    const { image, fitOptions } = mo3dMap({ nx: 2, ny: 1, seed: 3 });
    const r = await fitPeaks(await openEngine({ backend: 'cpu' }), image, { ...fitOptions, maxIterations: 2 });
    const onGpu = { ...r, backend: 'webgpu' as const };
    const note = '(software adapter: runs on the CPU)';
    expect(peaksReport(onGpu, image, { ...info, adapter: 'SwiftShader', softwareAdapter: false })).not.toContain(note);
    expect(peaksReport(onGpu, image, { ...info, adapter: 'any name', softwareAdapter: true })).toContain(note);
  });

  it('a map one row high (a line scan along x) gets its maps', async () => {
    const { image: line, fitOptions } = mo3dMap({ nx: 6, ny: 1, seed: 7 });
    expect(line.layout).toBe('map');
    const r = await fitPeaks(await openEngine({ backend: 'cpu' }), line, fitOptions);
    const html = peaksReport(r, line, info);
    expect(html).toMatch(/<section id="s\d-maps">/);
    expect(html).toContain('1 row × 6 columns of pixels, row 0 at the top and column 0 at the left');
    // Medians with their meV: three decimals, trailing zeros kept, right-aligned.
    expect(html).toMatch(/<td>Mo3d52<\/td><td class="num">22\d\.\d{3}<\/td><td class="num">\d\.\d{3}<\/td>/);
  });

  it('a list of spectra gets histograms and spectra but no maps; medians skip unconverged pixels', async () => {
    const { image: map, fitOptions } = mo3dMap({ nx: 6, ny: 1, seed: 6 });
    const list = makeSpectrumImage(map.data, 1, 6, map.channels, map.energy, { layout: 'list', energyUnit: 'eV' });
    const engine = await openEngine({ backend: 'cpu' });
    const r = await fitPeaks(engine, list, fitOptions);
    const html = peaksReport(r, list, info);
    expect(html).not.toContain('>Maps<');
    expect(html).toContain('Position histograms');
    expect(html).toContain('spectrum 0');
    const conv = r.maps.converged!.data;
    const pos = Array.from(r.maps.Mo3d52_position!.data)
      .filter((_, p) => conv[p] === 1)
      .sort((a, b) => a - b);
    const mid = pos.length % 2 ? pos[(pos.length - 1) / 2]! : (pos[pos.length / 2 - 1]! + pos[pos.length / 2]!) / 2;
    expect(peakMedians(r)[0]!.position).toBeCloseTo(mid, 10);
  });
});

describe('peakAccuracy', () => {
  it('computes medians and percentiles of the errors over converged pixels only', () => {
    const shape = [1, 5];
    const m = (v: number[]) => ({ data: Float32Array.from(v), shape });
    const fit: MapSet = {
      a_position: m([1.1, 2.0, 3.3, 4.0, 99]),
      a_fwhm: m([1, 1, 1, 1, 1]),
      a_area: m([110, 100, 90, 100, 5]),
      converged: m([1, 1, 1, 1, 0]),
    };
    const truth: MapSet = {
      t_position: m([1, 2, 3, 4, 5]),
      t_fwhm: m([1, 1.5, 1, 1, 1]),
      t_area: m([100, 100, 100, 100, 100]),
    };
    const [a] = peakAccuracy(fit, truth, [['a', 't']]);
    expect(a!.pixels).toBe(4);
    // errors 0.1, 0, 0.3, 0 (float32 rounding aside)
    expect(a!.positionMedian).toBeCloseTo(0.05, 5);
    expect(a!.positionP95).toBeCloseTo(quantile([0.1, 0, 0.3, 0], 0.95), 5);
    expect(a!.fwhmMedian).toBeCloseTo(0, 6);
    expect(a!.areaRelMedian).toBeCloseTo(0.05, 5);
    expect(() => peakAccuracy(fit, truth, [['b', 't']])).toThrow(/no map 'b_position'/);
  });

  it('quantile interpolates linearly and ignores NaN', () => {
    expect(quantile([3, NaN, 1, 2], 0.5)).toBe(2);
    expect(quantile([0, 10], 0.95)).toBeCloseTo(9.5, 12);
    expect(Number.isNaN(quantile([NaN], 0.5))).toBe(true);
  });
});
