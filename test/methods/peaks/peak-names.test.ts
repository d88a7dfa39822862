// Peak names stay on their peaks: the multi-start fit of the mean spectrum may converge with its
// peaks in any order; the winner is matched back to the requested positions (assign.ts), auto peaks
// come out sorted by position, and peaks that end far from where they were asked for, or much
// wider than the others, are named in result.warnings. Fresh seeds; the seed is in every message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSpectrumImage, type SpectrumImage } from '../../../src/data/types.js';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { assignByPosition, peakPlacementWarnings } from '../../../src/methods/peaks/assign.js';
import { fitPeaks, resolvePeaks, type PeakFitResult } from '../../../src/methods/peaks/index.js';
import { fitMeanSpectrum } from '../../../src/methods/peaks/init.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { openTestEngine } from '../../gpu-engine.js';

interface Line {
  name: string;
  position: number;
  fwhm: number;
  area: number;
}

/** An EDS-like map (keV axis): Gaussian lines on a falling linear background, Poisson noise. */
function lineMap(lines: Line[], seed: number, lo: number, hi: number, step: number, pixels = 16): SpectrumImage {
  const rng = new PhiloxStream(seed, 21);
  const C = Math.round((hi - lo) / step) + 1;
  const energy = Float64Array.from({ length: C }, (_, n) => lo + n * step);
  const data = new Float32Array(pixels * C);
  for (let p = 0; p < pixels; p++) {
    const scale = 0.8 + 0.4 * rng.uniformDouble();
    for (let n = 0; n < C; n++) {
      const x = energy[n]!;
      let mu = 40 - (25 * n) / (C - 1);
      for (const l of lines) {
        const s = l.fwhm / 2.3548200450309493;
        const z = (x - l.position) / s;
        mu += (scale * l.area * step * Math.exp(-0.5 * z * z)) / (s * Math.sqrt(2 * Math.PI));
      }
      data[p * C + n] = rng.poisson(mu);
    }
  }
  return makeSpectrumImage(data, 4, pixels / 4, C, energy, { energyUnit: 'keV' });
}

function median(v: ArrayLike<number>): number {
  const a = Array.from(v)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  return a[Math.floor(a.length / 2)]!;
}

const freshSeed = () => Math.floor(Math.random() * 0xffffffff);

/** Every named peak's median position within `tol` of its line. */
function expectOnTheirLines(r: PeakFitResult, lines: Line[], tol: number, seed: number) {
  for (const l of lines) {
    const got = median(r.maps[`${l.name}_position`]!.data);
    expect(Math.abs(got - l.position), `seed ${seed}: ${l.name} at ${got}, its line at ${l.position}`).toBeLessThan(
      tol,
    );
  }
}

/** The FePt EDS lines of the issue (keV), with EDS-like widths and relative areas. */
function feptLines(rng: PhiloxStream): Line[] {
  const j = () => (rng.uniformDouble() - 0.5) * 0.01;
  return [
    { name: 'FeKa', position: 6.4 + j(), fwhm: 0.13, area: 9000 * (0.7 + 0.6 * rng.uniformDouble()) },
    { name: 'FeKb', position: 7.06 + j(), fwhm: 0.14, area: 1400 * (0.7 + 0.6 * rng.uniformDouble()) },
    { name: 'CuKa', position: 8.04 + j(), fwhm: 0.15, area: 5000 * (0.7 + 0.6 * rng.uniformDouble()) },
    { name: 'CuKb', position: 8.9 + j(), fwhm: 0.16, area: 800 * (0.7 + 0.6 * rng.uniformDouble()) },
    { name: 'PtLa', position: 9.44 + j(), fwhm: 0.165, area: 6000 * (0.7 + 0.6 * rng.uniformDouble()) },
  ];
}

/** A blended pair about one FWHM apart and a third line: random starts often win here, in any order. */
function blendedLines(rng: PhiloxStream): Line[] {
  const fwhm = 0.13;
  const sep = fwhm * (0.9 + 0.4 * rng.uniformDouble());
  return [
    { name: 'A', position: 6.4, fwhm, area: 8000 },
    { name: 'B', position: 6.4 + sep, fwhm, area: 3000 + 4000 * rng.uniformDouble() },
    { name: 'C', position: 7.2, fwhm, area: 5000 },
  ];
}

/** The blended pair asked for inside the pair (0.3 and 0.7 of the way), the third where it is. */
const askedInside = (l: Line[]) => {
  const sep = l[1]!.position - l[0]!.position;
  return [
    { name: 'A', position: l[0]!.position + 0.3 * sep },
    { name: 'B', position: l[0]!.position + 0.7 * sep },
    { name: 'C', position: l[2]!.position },
  ];
};

const asked = (lines: Line[]) => lines.map((l) => ({ name: l.name, position: +l.position.toFixed(2) }));

describe('peak names after the multi-start fit (CPU reference)', () => {
  let cpu: Engine;
  beforeAll(async () => {
    cpu = await openEngine({ backend: 'cpu', log: () => undefined });
  });
  afterAll(() => cpu?.close());

  it('FePt-like EDS spectrum, 5 named lines: every name on its line, in the order given, on fresh seeds', async () => {
    for (let t = 0; t < 3; t++) {
      const seed = freshSeed();
      const lines = feptLines(new PhiloxStream(seed, 3));
      const image = lineMap(lines, seed, 5.5, 10.5, 0.01);
      // The given order is not the order of position: matching is by position, not by index.
      const order = [2, 0, 4, 1, 3].map((i) => lines[i]!);
      const r = await fitPeaks(cpu, image, { peaks: asked(order), background: ['rampUp', 'rampDown'] });
      expectOnTheirLines(r, lines, 0.02, seed);
      expect(r.warnings, `seed ${seed}`).toEqual([]);
    }
  });

  it('a blended pair about one FWHM apart, named from inside the pair: each name on its line, fresh seeds', async () => {
    for (let t = 0; t < 10; t++) {
      const seed = freshSeed();
      const lines = blendedLines(new PhiloxStream(seed, 4));
      const image = lineMap(lines, seed, 5.5, 8.5, 0.01, 4);
      const m = resolvePeaks({ peaks: askedInside(lines) }, image.energy);
      const fit = fitMeanSpectrum(m, image.energy, Float64Array.from(image.data.subarray(0, image.channels)));
      const sep = lines[1]!.position - lines[0]!.position;
      lines.forEach((l, k) =>
        expect(
          Math.abs(fit.params.position[k]! - l.position),
          `seed ${seed}: ${l.name} at ${fit.params.position[k]}, its line at ${l.position} (winning start ${fit.startLoglik.indexOf(Math.max(...fit.startLoglik))})`,
        ).toBeLessThan(0.4 * sep),
      );
    }
  });

  it('auto peaks come out sorted by position', async () => {
    const seed = freshSeed();
    const lines = blendedLines(new PhiloxStream(seed, 5));
    const image = lineMap(lines, seed, 5.5, 8.5, 0.01);
    const r = await fitPeaks(cpu, image, { peaks: lines.length, background: ['rampUp', 'rampDown'] });
    const start = r.start.position;
    for (let k = 1; k < start.length; k++) expect(start[k]!, `seed ${seed}: ${start}`).toBeGreaterThan(start[k - 1]!);
  });

  it('assignByPosition: a permuted solution is put back; bounds and doublet structure are respected', () => {
    const energy = Float64Array.from({ length: 201 }, (_, n) => n * 0.05);
    const m = resolvePeaks(
      {
        peaks: [
          { name: 'A', position: 2 },
          { name: 'B', position: 5 },
          { name: 'C', position: 8, bounds: [7, 9] },
          { name: 'D', link: { peak: 'A', split: 0.5, ratio: 0.5 } },
        ],
      },
      energy,
    );
    // A (a doublet with D) cannot swap with the singles B and C; B and C swap back, C within its bounds.
    const p = { position: [2.1, 7.9, 5.2, 2.6], sigma: [0.2, 0.3, 0.4, 0.2], weight: [0.1, 0.2, 0.3, 0.05, 0.2, 0.15] };
    const q = assignByPosition(m, p);
    expect(q.position).toEqual([2.1, 5.2, 7.9, 2.6]);
    expect(q.sigma).toEqual([0.2, 0.4, 0.3, 0.2]);
    expect(q.weight).toEqual([0.1, 0.3, 0.2, 0.05, 0.2, 0.15]);
  });

  it('warns when a named peak ends further than its FWHM from where it was asked, or much wider than the others', () => {
    const energy = Float64Array.from({ length: 201 }, (_, n) => n * 0.05);
    const m = resolvePeaks(
      { peaks: [{ name: 'Fe', position: 2 }, { name: 'Cu', position: 5 }, { name: 'Pt' }] },
      energy,
    );
    const s = 1 / 2.3548200450309493;
    const p = { position: [2.9, 5.05, 8], sigma: [0.5 * s, 0.4 * s, 2 * s], weight: [0.2, 0.2, 0.2, 0.2, 0.2] };
    const w = peakPlacementWarnings(m, p, 'keV');
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(
      /^peak 'Fe' was asked for at 2 keV but the mean spectrum puts it at 2\.9 keV, further than its FWHM \(0\.5 keV\)/,
    );
    expect(w[1]).toMatch(/^peak 'Pt' is 4\.4\d*x as wide as the median of the others \(FWHM 2 keV vs 0\.45 keV\)/);
  });
});

describe('peak names after the multi-start fit (WebGPU)', () => {
  let gpu: Engine;
  beforeAll(async () => {
    gpu = await openTestEngine();
  });
  afterAll(() => gpu?.close());

  it('FePt-like EDS map, 5 named lines: every name on its line on the GPU path, fresh seed', async () => {
    const seed = freshSeed();
    const lines = feptLines(new PhiloxStream(seed, 3));
    const image = lineMap(lines, seed, 5.5, 10.5, 0.01, 64);
    const order = [4, 3, 2, 1, 0].map((i) => lines[i]!);
    const r = await fitPeaks(gpu, image, { peaks: asked(order), background: ['rampUp', 'rampDown'] });
    expect(r.backend).toBe('webgpu');
    expectOnTheirLines(r, lines, 0.02, seed);
  });

  it('a blended pair named from inside the pair: each name on its line on the GPU path, fresh seed', async () => {
    const seed = freshSeed();
    const lines = blendedLines(new PhiloxStream(seed, 4));
    const image = lineMap(lines, seed, 5.5, 8.5, 0.01, 64);
    const r = await fitPeaks(gpu, image, { peaks: askedInside(lines) });
    expect(r.backend).toBe('webgpu');
    expectOnTheirLines(r, lines, 0.4 * (lines[1]!.position - lines[0]!.position), seed);
  });
});
