// Preprocessing (masks, reference subtraction, Poisson normalisation) and starts (NNDSVD, random),
// checked on the CPU reference where results are known exactly.
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/engine/index.js';
import { makeSpectrumImage } from '../../../src/data/types.js';
import { nmf } from '../../../src/methods/nmf/index.js';
import { prepareMatrix } from '../../../src/methods/nmf/preprocess.js';
import { nndsvd, randomStart } from '../../../src/methods/nmf/init.js';

const cpu = openEngine({ backend: 'cpu', log: () => undefined });

/** A rank-2 non-negative 3×4-pixel image with 5 channels. */
function rank2() {
  const ny = 3,
    nx = 4,
    C = 5;
  const w = (p: number) => [1 + (p % 3), 0.5 + ((p * 5) % 4)];
  const h = [
    [1, 2, 0, 1, 3],
    [0, 1, 4, 2, 1],
  ];
  const data = new Float32Array(ny * nx * C);
  for (let p = 0; p < ny * nx; p++)
    for (let c = 0; c < C; c++) data[p * C + c] = w(p)[0]! * h[0]![c]! + w(p)[1]! * h[1]![c]!;
  return makeSpectrumImage(data, ny, nx, C, undefined, { meta: { source: 'r2' } });
}

describe('nmf preprocessing', () => {
  it('reference: mean spectrum, a given spectrum, or a region mean', () => {
    const img = rank2();
    const base = { nonNegativeMethod: null, what: 'r2' };
    const mean = prepareMatrix(img, { ...base, reference: 'mean' });
    for (let c = 0; c < 5; c++) {
      let s = 0;
      for (let p = 0; p < 12; p++) s += img.data[p * 5 + c]!;
      expect(mean.reference![c]).toBeCloseTo(s / 12, 5);
      expect(mean.X[c]).toBeCloseTo(img.data[c]! - s / 12, 5);
    }
    const region = new Array(12).fill(0);
    region[5] = region[6] = 1;
    const reg = prepareMatrix(img, { ...base, reference: { region } });
    expect(reg.reference![2]).toBeCloseTo((img.data[5 * 5 + 2]! + img.data[6 * 5 + 2]!) / 2, 5);
    const given = prepareMatrix(img, { ...base, reference: { spectrum: [1, 1, 1, 1, 1] } });
    expect(given.X[3]).toBeCloseTo(img.data[3]! - 1, 6);
  });

  it('masks: only selected pixels and channels are fitted; the rest are NaN in the result', async () => {
    const img = rank2();
    const pixelMask = Array.from({ length: 12 }, (_, p) => (p === 4 ? 0 : 1));
    const channelMask = [1, 1, 0, 1, 1];
    const r = await nmf(await cpu, img, {
      k: 2,
      method: 'hals',
      pixelMask,
      channelMask,
      maxIterations: 300,
      tol: 1e-10,
    });
    expect(r.loadings.shape).toEqual([3, 4, 2]);
    expect(Number.isNaN(r.loadings.data[4 * 2])).toBe(true);
    expect(Number.isNaN(r.residual.data[4])).toBe(true);
    expect(Number.isNaN(r.factors.data[2])).toBe(true);
    expect(Number.isNaN(r.factors.data[5 + 2])).toBe(true);
    expect(r.relativeError).toBeLessThan(1e-3); // rank 2 data, k = 2
  });

  it('Poisson normalisation is undone: loadings × factors reproduce the counts', async () => {
    const img = rank2();
    const r = await nmf(await cpu, img, { k: 2, method: 'hals', poisson: true, maxIterations: 500, tol: 1e-12 });
    let worst = 0;
    for (let p = 0; p < 12; p++)
      for (let c = 0; c < 5; c++) {
        let v = 0;
        for (let t = 0; t < 2; t++) v += r.loadings.data[p * 2 + t]! * r.factors.data[t * 5 + c]!;
        worst = Math.max(worst, Math.abs(v - img.data[p * 5 + c]!) / 10);
      }
    expect(worst).toBeLessThan(1e-3);
  });

  it('restarts keep the best of several starts and report every final error', async () => {
    const r = await nmf(await cpu, rank2(), { k: 2, method: 'mu', restarts: 3, maxIterations: 50 });
    expect(r.restartErrors).toHaveLength(3);
    expect(r.loss[r.loss.length - 1]).toBeCloseTo(Math.min(...r.restartErrors), 9);
  });
});

describe('nmf starts', () => {
  it('NNDSVD of an exact rank-1 SVD reproduces it; NNDSVDa fills zeros', () => {
    // X = u vᵀ·s with u, v unit and non-negative
    const u = [0.6, 0.8, 0];
    const v = [0, 1];
    const svd = { U: Float64Array.from(u), S: Float64Array.of(4), V: Float64Array.from(v), k: 1 };
    const { W, H } = nndsvd(svd, 3, 2, null);
    expect(Array.from(W)).toEqual([1.2, 1.6, 0].map((x) => expect.closeTo(x, 12)));
    expect(Array.from(H)).toEqual([0, 2].map((x) => expect.closeTo(x, 12)));
    const a = nndsvd(svd, 3, 2, 0.25);
    expect(a.W[2]).toBe(0.25);
    expect(a.H[0]).toBe(0.25);
  });

  it('random starts are seeded, non-negative and scaled by sqrt(mean/k)', () => {
    const a = randomStart(50, 20, 4, 9, 7);
    const b = randomStart(50, 20, 4, 9, 7);
    const c = randomStart(50, 20, 4, 9, 8);
    expect(a.W).toEqual(b.W);
    expect(a.W).not.toEqual(c.W);
    expect(Math.min(...a.W, ...a.H)).toBeGreaterThanOrEqual(0);
    const mean = [...a.W, ...a.H].reduce((s, x) => s + x, 0) / (a.W.length + a.H.length);
    // E|N(0,1)| = sqrt(2/π), scale sqrt(9/4) = 1.5
    expect(mean).toBeGreaterThan(1.5 * 0.798 * 0.85);
    expect(mean).toBeLessThan(1.5 * 0.798 * 1.15);
  });
});

describe('nmf run control', () => {
  it('reports progress at every convergence check and stops on an aborted signal', async () => {
    const seen: number[] = [];
    await nmf(await cpu, rank2(), { k: 2, maxIterations: 30, tol: 0 }, { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([10, 20, 30]);
    const ctl = new AbortController();
    ctl.abort();
    await expect(nmf(await cpu, rank2(), { k: 2 }, { signal: ctl.signal })).rejects.toThrow('aborted');
  });
});
