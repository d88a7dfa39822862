// Accuracy against ground truth on the synthetic electrode stack, through the public nmf() on the
// WebGPU engine: MU, HALS and KL recover the true spectra (correlation >= 0.99 at low noise), and
// NMF-SO / ARD given k + 2 components end with the true k.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.js';
import { electrodeStack } from '../../../src/data/synth/electrode.js';
import { makeSpectrumImage } from '../../../src/data/types.js';
import { componentMaps, nmf, type NmfMethod } from '../../../src/methods/nmf/index.js';
import { matchComponents } from '../../../src/methods/nmf/accuracy.js';
import { openTestEngine } from '../../gpu-engine.js';
import { PhiloxStream } from '../../../src/random/index.js';

const CH = 80;
const truth = electrodeStack({ ny: 32, nx: 32, channels: CH, k: 3, noise: 0.004, seed: 11 });

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine();
});
afterAll(() => engine?.close());

describe('nmf accuracy on a synthetic electrode stack (3 phases, 32×32 pixels × 80 energies, shot-like noise 0.004)', () => {
  for (const method of ['mu', 'hals', 'kl'] as NmfMethod[]) {
    it(`${method}: every true spectrum is recovered with correlation >= 0.99`, async () => {
      const r = await nmf(engine, truth.image, { k: 3, method, maxIterations: 1500, tol: 1e-6 });
      const { correlation } = matchComponents(truth.spectra, 3, r.factors.data, r.k, CH);
      expect(Math.min(...correlation), `correlations ${correlation.map((c) => c.toFixed(4))}`).toBeGreaterThanOrEqual(
        0.99,
      );
      // the maps too, and the fit is at the noise level
      const maps = matchComponents(truth.maps, 3, componentMaps(r.loadings), r.k, 32 * 32);
      expect(Math.min(...maps.correlation)).toBeGreaterThanOrEqual(0.98);
      expect(r.backend).toBe('webgpu');
      expect(r.loss.length).toBe(r.lossIterations.length);
      expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]!);
    });
  }

  for (const method of ['so', 'ard'] as NmfMethod[]) {
    it(`${method}: given k + 2 = 5 components it keeps the true 3, with spectra correlating >= 0.99`, async () => {
      const r = await nmf(engine, truth.image, { k: 5, method, maxIterations: 400 });
      expect(r.k).toBe(3);
      expect(r.factors.shape).toEqual([3, CH]);
      const { correlation } = matchComponents(truth.spectra, 3, r.factors.data, r.k, CH);
      expect(Math.min(...correlation)).toBeGreaterThanOrEqual(0.99);
      expect(r.orthogonality.loadings).toBeLessThan(0.2);
    });
  }

  it('semi: difference data (signed spectra, non-negative maps) are fitted to the noise level within the true subspace', async () => {
    // Maps of the electrode, spectra minus a reference (0.8 × the pristine phase 0): signed factors,
    // as after reference subtraction. Semi-NMF is not unique (W A, A⁻¹ H with any A ≥ 0 fits as well),
    // so what it must recover is the span of the difference spectra, not each one.
    const n = 32 * 32;
    const diff = Float64Array.from(truth.spectra, (v, i) => v - 0.8 * truth.spectra[i % CH]!);
    const data = new Float32Array(n * CH);
    const noise = new PhiloxStream(5);
    const sigma = 0.004;
    for (let p = 0; p < n; p++)
      for (let c = 0; c < CH; c++) {
        let v = sigma * noise.normal();
        for (let t = 0; t < 3; t++) v += truth.maps[t * n + p]! * diff[t * CH + c]!;
        data[p * CH + c] = v;
      }
    const img = makeSpectrumImage(data, 32, 32, CH);
    const r = await nmf(engine, img, { k: 3, method: 'semi', maxIterations: 300 });
    for (const v of r.loadings.data) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.min(...r.factors.data)).toBeLessThan(0);
    // residual at the noise level: ‖X − WH‖ <= 1.02 · sigma · sqrt(n · channels)
    expect(r.loss[r.loss.length - 1]).toBeLessThan(1.02 * sigma * Math.sqrt(n * CH));
    // each true difference spectrum lies in the span of the recovered factors
    for (let t = 0; t < 3; t++) {
      const d = diff.subarray(t * CH, (t + 1) * CH);
      const rel = distanceToSpan(d, r.factors.data, r.k, CH) / Math.hypot(...d);
      expect(rel, `true spectrum ${t}`).toBeLessThan(0.02);
    }
  });
});

/** ‖d − proj_span(rows of F)(d)‖ by least squares (normal equations, k ≤ 4). */
function distanceToSpan(d: ArrayLike<number>, F: ArrayLike<number>, k: number, m: number): number {
  const G = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < m; c++) b[a] += F[a * m + c]! * d[c]!;
    for (let e = 0; e < k; e++) for (let c = 0; c < m; c++) G[a * k + e] += F[a * m + c]! * F[e * m + c]!;
  }
  // Gaussian elimination
  const x = Float64Array.from(b);
  const A = Float64Array.from(G);
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const f = A[j * k + i]! / A[i * k + i]!;
      for (let l = i; l < k; l++) A[j * k + l] -= f * A[i * k + l]!;
      x[j] -= f * x[i]!;
    }
  }
  for (let i = k - 1; i >= 0; i--) {
    for (let l = i + 1; l < k; l++) x[i] -= A[i * k + l]! * x[l]!;
    x[i] /= A[i * k + i]!;
  }
  let s = 0;
  for (let c = 0; c < m; c++) {
    let p = 0;
    for (let a = 0; a < k; a++) p += x[a]! * F[a * m + c]!;
    s += (d[c]! - p) ** 2;
  }
  return Math.sqrt(s);
}
