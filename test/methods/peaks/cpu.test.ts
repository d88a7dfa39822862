// The float64 CPU reference against noise-free data the model represents exactly (the EM must
// return the generating parameters), every option, and the Mo 3d generator's ground truth.
import { beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import {
  fitPeaks,
  mo3dMap,
  modelComponents,
  FWHM_PER_SIGMA,
  type PeakFitOptions,
  type PeakFitResult,
} from '../../../src/methods/peaks/index.js';
import { axis, exactImage, type TruePeak } from './exact-data.js';
import { eStep, makeAxis, mStep, windowTerms } from '../../../src/methods/peaks/em.js';
import { resolvePeaks } from '../../../src/methods/peaks/model.js';

let cpu: Engine;
beforeAll(async () => {
  cpu = await openEngine({ backend: 'cpu', log: () => undefined });
});

const E = axis(100, 0.05, 301); // 100 .. 115 eV
const tight = { tol: 1e-14, llFloor: 0, maxIterations: 20000 };

function at(r: PeakFitResult, name: string, p = 0): number {
  return r.maps[name]!.data[p]!;
}

function expectPeak(r: PeakFitResult, name: string, t: TruePeak, p = 0, rel = 2e-5): void {
  expect(Math.abs(at(r, `${name}_position`, p) - t.position)).toBeLessThan(1e-5 * 0.05 * 100);
  expect(Math.abs(at(r, `${name}_fwhm`, p) / (t.sigma * FWHM_PER_SIGMA) - 1)).toBeLessThan(rel);
  expect(Math.abs(at(r, `${name}_area`, p) / t.area - 1)).toBeLessThan(rel);
}

describe('EM reference: exact recovery on noise-free data', () => {
  it('one Gaussian on a linear background', async () => {
    const t = { position: 106.3, sigma: 0.4, area: 5000 };
    const img = exactImage(E, [{ peaks: [t], bg: [20, 30] }]);
    const r = await fitPeaks(cpu, img, { peaks: [{ position: 107, fwhm: 1.5 }], init: 'user', ...tight });
    expect(r.backend).toBe('cpu');
    expect(at(r, 'converged')).toBe(1);
    expectPeak(r, 'p1', t);
    // Background: the midpoint sum of the line over the channels.
    expect(Math.abs(at(r, 'background') / (301 * 20 + 301 * 15) - 1)).toBeLessThan(2e-5);
  });

  it('two overlapping Gaussians from the multi-start mean-spectrum fit', async () => {
    const a = { position: 105.0, sigma: 0.35, area: 4000 };
    const b = { position: 106.1, sigma: 0.5, area: 2500 };
    const img = exactImage(E, [{ peaks: [a, b], bg: [10, 5] }]);
    const r = await fitPeaks(cpu, img, { peaks: 2, starts: 6, ...tight });
    const first = at(r, 'p1_position') < at(r, 'p2_position') ? ['p1', 'p2'] : ['p2', 'p1'];
    expectPeak(r, first[0]!, a);
    expectPeak(r, first[1]!, b);
    expect(r.mean!.startLoglik).toHaveLength(6);
  });

  it('a peak one sigma inside the window edge: truncated normalisation and the corrected M-step recover it', async () => {
    // Not to float precision: the data are point samples while the window mass is an integral, so
    // the midpoint rule's end term (~h^2 f'(lo)) remains; it must shrink ~4x when h halves.
    const t = { position: 100.4, sigma: 0.45, area: 6000 };
    const errors = [];
    for (const h of [0.05, 0.025]) {
      const Eh = axis(100, h, Math.round(15 / h) + 1);
      const img = exactImage(Eh, [{ peaks: [t], bg: [8, 8] }]);
      const r = await fitPeaks(cpu, img, { peaks: [{ position: 101, fwhm: 1 }], init: 'user', ...tight });
      // The area counts only what lies inside the window (here ~83 % of the Gaussian).
      const inside = Eh.reduce(
        (s, x) =>
          s + (t.area * h * Math.exp(-0.5 * ((x - t.position) / t.sigma) ** 2)) / (t.sigma * Math.sqrt(2 * Math.PI)),
        0,
      );
      expect(inside).toBeLessThan(0.85 * t.area);
      errors.push([
        Math.abs(at(r, 'p1_position') - t.position),
        Math.abs(at(r, 'p1_fwhm') / (t.sigma * FWHM_PER_SIGMA) - 1),
        Math.abs(at(r, 'p1_area') / inside - 1),
      ]);
    }
    const [coarse, fine] = errors as [number[], number[]];
    expect(coarse[0]).toBeLessThan(5e-4); // eV: 1 % of a channel
    expect(coarse[1]).toBeLessThan(1e-3);
    expect(coarse[2]).toBeLessThan(1e-4);
    expect(fine[1]).toBeLessThan(coarse[1]! / 2.5);
  });

  it('linked doublet (split, ratio, shared width) and the Mo 3d generator without noise', async () => {
    const d = mo3dMap({ nx: 3, ny: 1, noise: false, step: 0 });
    const r = await fitPeaks(cpu, d.image, { ...d.fitOptions, ...tight });
    for (let p = 0; p < 3; p++) {
      for (const n of ['Mo3d52', 'Mo3d32']) {
        expect(Math.abs(at(r, `${n}_position`, p) - d.truth[`${n}_position`]!.data[p]!)).toBeLessThan(1e-4);
        expect(Math.abs(at(r, `${n}_fwhm`, p) / d.truth[`${n}_fwhm`]!.data[p]! - 1)).toBeLessThan(1e-4);
        expect(Math.abs(at(r, `${n}_area`, p) / d.truth[`${n}_area`]!.data[p]! - 1)).toBeLessThan(1e-4);
      }
      expect(at(r, 'Mo3d32_position', p) - at(r, 'Mo3d52_position', p)).toBeCloseTo(3.13, 4); // float32 maps: ulp(232 eV) = 1.5e-5
      expect(at(r, 'Mo3d32_area', p) / at(r, 'Mo3d52_area', p)).toBeCloseTo(2 / 3, 6);
      expect(at(r, 'Mo3d52_fraction', p)).toBeCloseTo(0.6, 6);
    }
  });

  it('shared width pools sigma across unlinked peaks', async () => {
    const a = { position: 104, sigma: 0.4, area: 3000 };
    const b = { position: 109, sigma: 0.4, area: 7000 };
    const img = exactImage(E, [{ peaks: [a, b], bg: [5, 5] }]);
    const r = await fitPeaks(cpu, img, {
      peaks: [
        { position: 103.5, fwhm: 0.6 },
        { position: 109.5, fwhm: 1.5 },
      ],
      sharedWidth: true,
      init: 'user',
      ...tight,
    });
    expectPeak(r, 'p1', a);
    expectPeak(r, 'p2', b);
    expect(at(r, 'p1_fwhm')).toBe(at(r, 'p2_fwhm'));
  });
});

describe('EM reference: constraints', () => {
  const a = { position: 105, sigma: 0.4, area: 5000 };
  const b = { position: 108, sigma: 0.6, area: 3000 };
  const img = exactImage(E, [{ peaks: [a, b], bg: [10, 10] }]);

  it('a fixed position stays where it was put; the free peak is still recovered', async () => {
    const r = await fitPeaks(cpu, img, {
      peaks: [
        { position: 105, fwhm: 1, fixed: true },
        { position: 108.5, fwhm: 1 },
      ],
      init: 'user',
      ...tight,
    });
    expect(at(r, 'p1_position')).toBe(Math.fround(105));
    expectPeak(r, 'p2', b);
    const off = await fitPeaks(cpu, img, {
      peaks: [
        { position: 105.2, fwhm: 1, fixed: true },
        { position: 108.5, fwhm: 1 },
      ],
      init: 'user',
      ...tight,
    });
    expect(at(off, 'p1_position')).toBe(Math.fround(105.2));
  });

  it('bounds clip the position; sigma bounds clip the width', async () => {
    const r = await fitPeaks(cpu, img, {
      peaks: [
        { position: 104.5, fwhm: 1, bounds: [104, 104.8] },
        { position: 108.5, fwhm: 1 },
      ],
      sigmaBounds: [0.05, 0.5],
      init: 'user',
      ...tight,
    });
    expect(at(r, 'p1_position')).toBeCloseTo(104.8, 5);
    expect(at(r, 'p2_fwhm')).toBeCloseTo(0.5 * FWHM_PER_SIGMA, 5);
  });

  it('background components can be switched: with none, the background goes into the peaks', async () => {
    const pure = exactImage(E, [{ peaks: [a], bg: [0, 0] }]);
    const r = await fitPeaks(cpu, pure, {
      peaks: [{ position: 104, fwhm: 1 }],
      background: [],
      init: 'user',
      ...tight,
    });
    expectPeak(r, 'p1', a);
    expect(at(r, 'background')).toBe(0);
    const u = await fitPeaks(cpu, img, { peaks: 2, background: ['uniform'], starts: 3, ...tight });
    expect(Object.keys(u.maps).filter((k) => k.startsWith('background_'))).toEqual(['background_uniform']);
  });
});

describe('EM reference: properties', () => {
  it('the log-likelihood never decreases over EM iterations (peaks inside the window)', () => {
    const d = mo3dMap({ nx: 1, ny: 1, seed: 4 });
    const m = resolvePeaks(
      {
        ...d.fitOptions,
        init: 'user',
        peaks: [
          { name: 'a', position: 229, fwhm: 2 },
          { name: 'b', link: { peak: 'a', split: 3.13, ratio: 2 / 3 } },
        ],
      },
      d.image.energy,
    );
    const ax = makeAxis(m, d.image.energy);
    const y = d.image.data;
    const total = y.reduce((s, v) => s + v, 0);
    let p = { position: [229, 232.13], sigma: [0.8, 0.8], weight: [0.3, 0.2, 0.25, 0.25] };
    let prev = -Infinity;
    for (let it = 0; it < 60; it++) {
      const wt = windowTerms(m, p);
      const st = eStep(m, ax, y, p, wt);
      expect(st.loglik).toBeGreaterThanOrEqual(prev - 1e-9 * Math.abs(prev));
      prev = st.loglik;
      p = mStep(m, p, wt, st, total);
    }
  });

  it('modelComponents gives per-channel counts that add up to the fitted areas and the data', async () => {
    const t = { position: 107, sigma: 0.5, area: 4000 };
    const img = exactImage(E, [{ peaks: [t], bg: [12, 4] }]);
    const r = await fitPeaks(cpu, img, { peaks: [{ position: 106, fwhm: 1 }], init: 'user', ...tight });
    const mc = modelComponents(r, 0);
    expect(mc.names).toEqual(['p1', 'background_rampUp', 'background_rampDown']);
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(mc.components[0]!) / at(r, 'p1_area')).toBeCloseTo(1, 6);
    let worst = 0;
    mc.total.forEach((v, n) => (worst = Math.max(worst, Math.abs(v - img.data[n]!))));
    expect(worst).toBeLessThan(1e-3);
    expect(() => modelComponents(r, 1)).toThrow(/pixel 1 is outside/);
  });
});

describe('EM reference: Mo 3d ground truth', () => {
  it('median |position error| < 0.04 eV on a 20x20 noisy map (CPU; the GPU test fits 100x100)', async () => {
    const d = mo3dMap({ nx: 20, ny: 20, seed: 11 });
    const r = await fitPeaks(cpu, d.image, d.fitOptions);
    const err = Array.from(r.maps.Mo3d52_position!.data, (v, p) =>
      Math.abs(v - d.truth.Mo3d52_position!.data[p]!),
    ).sort((x, y) => x - y);
    const median = err[err.length >> 1]!;
    expect(median).toBeLessThan(0.04);
    expect(r.summary.converged).toBe(400);
    // The doublet constraint holds exactly in every pixel.
    const gap = r.maps.Mo3d32_position!.data.map((v, p) => v - r.maps.Mo3d52_position!.data[p]!);
    for (const g of gap) expect(g).toBeCloseTo(3.13, 4);
  });
});

describe('options', () => {
  it('every option appears in the result model with its default', async () => {
    const img = exactImage(E, [{ peaks: [{ position: 106, sigma: 0.4, area: 1000 }], bg: [5, 5] }]);
    const r = await fitPeaks(cpu, img, { peaks: 1 } satisfies PeakFitOptions);
    expect(r.model).toMatchObject({
      K: 1,
      background: ['rampUp', 'rampDown'],
      sharedWidth: false,
      maxIterations: 500,
      tol: 1e-9,
      init: 'mean',
      starts: 8,
      negative: 'error',
    });
    expect(r.model.sigmaBounds[0]).toBeCloseTo(0.025, 12);
    expect(r.flopsPerIteration).toBeGreaterThan(301 * 15);
  });
});
