// The randomized range finder of the NNDSVD start against the exact Gram route, on the CPU
// reference backend (GPU = CPU for its products: test/parity/nmf.parity.ts).
import { describe, expect, it } from 'vitest';
import { CpuNmfBackend } from '../../../src/methods/nmf/cpu.js';
import { nndsvd, svdFromGram } from '../../../src/methods/nmf/init.js';
import { matchComponents } from '../../../src/methods/nmf/accuracy.js';
import {
  orthonormalise,
  randomizedIsCheaper,
  randomizedSvd,
  rangeColumns,
} from '../../../src/methods/nmf/randomized-svd.js';
import { nmf } from '../../../src/methods/nmf/index.js';
import { openEngine } from '../../../src/engine/index.js';
import { electrodeStack } from '../../../src/data/synth/electrode.js';
import { PhiloxStream } from '../../../src/random/index.js';

/** n×m: rank r with singular values 100, 50, 25, ... plus Gaussian noise of size `noise`. */
function lowRank(n: number, m: number, r: number, noise: number, seed: number): Float64Array {
  const rng = new PhiloxStream(seed, 3);
  const A = Float64Array.from({ length: n * r }, () => rng.normal());
  const B = Float64Array.from({ length: r * m }, () => rng.normal());
  orthonormalise(A, n, r);
  const Bt = new Float64Array(m * r);
  for (let t = 0; t < r; t++) for (let c = 0; c < m; c++) Bt[c * r + t] = B[t * m + c]!;
  orthonormalise(Bt, m, r);
  const X = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      let s = noise * rng.normal();
      for (let t = 0; t < r; t++) s += A[i * r + t]! * (100 / 2 ** t) * Bt[c * r + t]!;
      X[i * m + c] = s;
    }
  }
  return X;
}

describe('randomized SVD (NNDSVD start)', () => {
  it('orthonormalises columns, zeroing the ones a rank-deficient range cannot fill', () => {
    const rows = 50;
    const A = new Float64Array(rows * 4);
    for (let i = 0; i < rows; i++) {
      A[i * 4] = Math.sin(i);
      A[i * 4 + 1] = Math.cos(i);
      A[i * 4 + 2] = 2 * Math.sin(i) - 3 * Math.cos(i); // in the span of the first two
      A[i * 4 + 3] = i % 3;
    }
    orthonormalise(A, rows, 4);
    const dot = (a: number, b: number) =>
      Array.from({ length: rows }, (_, i) => A[i * 4 + a]! * A[i * 4 + b]!).reduce((s, v) => s + v, 0);
    expect(dot(0, 0)).toBeCloseTo(1, 12);
    expect(dot(1, 1)).toBeCloseTo(1, 12);
    expect(dot(3, 3)).toBeCloseTo(1, 12);
    expect(dot(2, 2)).toBe(0);
    expect(Math.abs(dot(0, 1)) + Math.abs(dot(0, 3)) + Math.abs(dot(1, 3))).toBeLessThan(1e-12);
  });

  it('matches the exact (Gram) SVD: singular values and vectors of a noisy rank-5 matrix', async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const n = 400;
    const m = 160;
    const k = 4;
    const X = lowRank(n, m, 5, 0.01, seed);
    const b = new CpuNmfBackend(X, n, m);
    const exact = await svdFromGram(await b.gram(), m, k, (V, kk) => b.project(V, kk), n);
    const fast = await randomizedSvd(b, n, m, k, { seed });
    for (let j = 0; j < k; j++) {
      expect(Math.abs(fast.S[j]! - exact.S[j]!) / exact.S[j]!, `seed ${seed}: singular value ${j}`).toBeLessThan(1e-9);
      let cu = 0;
      let cv = 0;
      for (let i = 0; i < n; i++) cu += fast.U[i * k + j]! * exact.U[i * k + j]!;
      for (let c = 0; c < m; c++) cv += fast.V[c * k + j]! * exact.V[c * k + j]!;
      // Same vectors up to sign, and the same sign on both sides (U S Vᵀ is unique).
      expect(Math.abs(Math.abs(cu) - 1), `seed ${seed}: |cos| of u_${j}`).toBeLessThan(1e-9);
      expect(Math.abs(cu * cv - 1), `seed ${seed}: sign pairing of u_${j}, v_${j}`).toBeLessThan(1e-9);
    }
  });

  it('is used where it costs less than XᵀX: long spectra, small k', () => {
    expect(rangeColumns(10000, 300, 3)).toBe(13);
    expect(rangeColumns(8, 300, 3)).toBe(8);
    expect(randomizedIsCheaper(65536, 300, 3)).toBe(true); // (2·4 + 2)·13 = 130 < 300
    expect(randomizedIsCheaper(65536, 300, 20)).toBe(false); // 300 > 300 is false
    expect(randomizedIsCheaper(4096, 64, 3)).toBe(false);
  });

  it('gives the same NNDSVDa start as the exact SVD, and MU from it recovers the true spectra (300 channels)', async () => {
    const d = electrodeStack({ ny: 24, nx: 24, channels: 300, k: 3, noise: 0.004, seed: 5 });
    const n = 24 * 24;
    const m = 300;
    expect(randomizedIsCheaper(n, m, 3)).toBe(true); // nmf() below takes the randomized route
    const b = new CpuNmfBackend(d.image.data, n, m);
    const exact = nndsvd(await svdFromGram(await b.gram(), m, 3, (V, kk) => b.project(V, kk), n), n, m, 0.5);
    const fast = nndsvd(await randomizedSvd(b, n, m, 3, { seed: 9 }), n, m, 0.5);
    const rel = (a: Float64Array, e: Float64Array) =>
      Math.max(...Array.from(a, (v, i) => Math.abs(v - e[i]!))) / Math.max(...Array.from(e, Math.abs));
    expect(rel(fast.W, exact.W)).toBeLessThan(1e-6);
    expect(rel(fast.H, exact.H)).toBeLessThan(1e-6);
    const cpu = await openEngine({ backend: 'cpu', log: () => undefined });
    const r = await nmf(cpu, d.image, { k: 3, method: 'mu', maxIterations: 300, init: 'nndsvda' });
    const corr = matchComponents(d.spectra, 3, r.factors.data, r.k, m).correlation;
    expect(Math.min(...corr)).toBeGreaterThan(0.99);
  });
});
