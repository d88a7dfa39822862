// Accuracy on a synthetic grain map whose noise defeats per-pixel clustering, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grainMap } from '../../../src/data/synth/grains.js';
import type { Engine } from '../../../src/engine/index.js';
import { adjustedRandIndex, kmeans, segmentMrf } from '../../../src/methods/mrf/index.js';
import { openTestEngine } from '../../gpu-engine.js';

/** RMS distance of each found class mean to the true spectrum of the class it mostly covers. */
function meanSpectrumError(found: ArrayLike<number>, truth: ArrayLike<number>, means: Float64Array, spectra: Float64Array, k: number, d: number): number {
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const votes = new Array(k).fill(0);
    for (let i = 0; i < found.length; i++) if (found[i] === c) votes[truth[i]!]++;
    const t = votes.indexOf(Math.max(...votes));
    for (let j = 0; j < d; j++) sum += (means[c * d + j]! - spectra[t * d + j]!) ** 2;
  }
  return Math.sqrt(sum / (k * d));
}

describe('segmentMrf on a noisy Voronoi grain map (K = 4, 32 channels)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());

  /** The 96×96 map of one seed, per-pixel k-means and the WebGPU MRF (estimated beta, 150/150/100 sweeps) on it. */
  async function segment96(mapSeed: number, chainSeed: number) {
    const g = grainMap({ ny: 96, nx: 96, seed: mapSeed });
    const km = await kmeans(engine, g.image, { k: 4, seed: chainSeed });
    const r = await segmentMrf(engine, g.image, { k: 4, burnIn: 150, samples: 150, anneal: 100, seed: chainSeed });
    const ari = adjustedRandIndex(r.labels, g.labels);
    const kmAri = adjustedRandIndex(km.labels, g.labels);
    const spectrumError = meanSpectrumError(r.labels, g.labels, r.means, g.spectra, 4, 32);
    const meanConf = r.confidence.reduce((a, b) => a + b, 0) / r.confidence.length;
    return { r, ari, kmAri, spectrumError, meanConf };
  }

  // Over 180 fresh seeds (map and chain seed alike) on the software GPU: per-pixel k-means ARI
  // 0.133-0.276; MRF ARI 0.523-0.973 (median 0.958; 19 of 180 below 0.9), the gain over k-means
  // 0.391-0.794; final beta 1.39-1.87; mean confidence 0.941-0.985; class-mean spectrum error
  // 0.017-0.301 (median 0.021; 15 of 180 above 0.05). The runs below 0.9 are k-means starts that
  // put two true classes under one label and split another, which the chain does not undo (one true
  // class is then the majority of no found class); on 5 of 6 such maps chain seeds 1-3 reached
  // 0.89-0.97. So ARI >= 0.9 holds for ~9 in 10 fresh seeds, not all: this case asserts what held on
  // all 180 with margin, and the fixed-seed case below pins one good trajectory.
  it('fresh seed: k-means on single pixels scores ARI near 0.25; the MRF (WebGPU, estimated beta) lifts it far above', async () => {
    const seed = Math.floor(Math.random() * 2 ** 32);
    const { r, ari, kmAri, spectrumError, meanConf } = await segment96(seed, seed);
    const beta = r.betaTrace.at(-1)!;
    const at = `seed ${seed}: MRF ARI ${ari.toFixed(3)}, k-means ARI ${kmAri.toFixed(3)}, beta ${beta.toFixed(3)}, mean confidence ${meanConf.toFixed(3)}, spectrum error ${spectrumError.toFixed(3)}`;
    console.log(`grain map 96×96, noise 0.9, ${at}`);
    expect(kmAri, at).toBeGreaterThan(0.05);
    expect(kmAri, at).toBeLessThan(0.4);
    expect(ari, at).toBeGreaterThanOrEqual(0.35);
    expect(ari - kmAri, at).toBeGreaterThanOrEqual(0.25);
    expect(r.backend, at).toBe('webgpu');
    expect(r.betaTrace.length, at).toBe(16);
    expect(beta, at).toBeGreaterThan(1);
    expect(beta, at).toBeLessThan(2.5);
    expect(r.sweeps, at).toBe(400);
    expect(r.logPosteriorTrace.every(Number.isFinite), at).toBe(true);
    // Posterior probabilities: rows sum to 1; confidence = the largest; high where the map is right.
    for (let p = 0; p < 96 * 96; p += 97) {
      let s = 0;
      for (let c = 0; c < 4; c++) s += r.probabilities[p * 4 + c]!;
      expect(s, `${at}, pixel ${p}`).toBeCloseTo(1, 5);
      expect(r.confidence[p], `${at}, pixel ${p}`).toBeGreaterThanOrEqual(0.25);
    }
    expect(meanConf, at).toBeGreaterThan(0.85);
    // Up to 0.30 measured when two true classes share a label (one class mean then sits between two spectra).
    expect(spectrumError, at).toBeLessThan(0.4);
    expect(r.classSizes.reduce((a, b) => a + b, 0), at).toBe(96 * 96);
  });

  it('WebGPU, estimated beta: regression test of one fixed-seed trajectory (ARI >= 0.9 for map seed 3, chain seed 1)', async () => {
    // Not a claim about fresh inputs (see above: ~1 in 10 fresh seeds scores below 0.9). This pins the
    // GPU chain's trajectory for one seed pair, which scored 0.964 (k-means 0.247, beta 1.517, spectrum
    // error < 0.05); a change to the kernels' random-number use, k-means seeding or sweep order shows up here.
    const { r, ari, kmAri, spectrumError } = await segment96(3, 1);
    expect(kmAri).toBeGreaterThan(0.1);
    expect(kmAri).toBeLessThan(0.4);
    expect(ari).toBeGreaterThanOrEqual(0.9);
    expect(spectrumError).toBeLessThan(0.05);
    expect(r.backend).toBe('webgpu');
  });

  // Fixed beta 0.6 with 8 neighbours on a small map (48×48, 8 grains, noise 0.9) is near the
  // Potts critical coupling: the chain often lets one class die (sometimes two) and true classes
  // share a label. Over 400 fresh seeds (map and chain seed alike, 60/60/40 sweeps) the MRF scored
  // ARI 0.345–0.972 (5th percentile 0.61, median 0.92; 188 of 400 below 0.9), per-pixel k-means
  // 0.036–0.275, the gain over k-means 0.278–0.861 (5th percentile 0.47). ARI >= 0.9 is therefore
  // NOT a claim about this setup; the fresh-seed case asserts what held on all 400 with margin.
  it('fixed beta, 8 neighbours, CPU reference, fresh seed: the MRF lifts ARI far above per-pixel k-means', async () => {
    const seed = Math.floor(Math.random() * 2 ** 32);
    const small = grainMap({ ny: 48, nx: 48, seed, cells: 8 });
    const r = await segmentMrf(null, small.image, { k: 4, beta: 0.6, neighbours: 8, burnIn: 60, samples: 60, anneal: 40, seed });
    const ari = adjustedRandIndex(r.labels, small.labels);
    const kmAri = adjustedRandIndex(r.kmeansLabels, small.labels);
    const at = `seed ${seed}: MRF ARI ${ari.toFixed(3)}, k-means ARI ${kmAri.toFixed(3)}`;
    expect(kmAri, at).toBeLessThan(0.35);
    expect(ari, at).toBeGreaterThanOrEqual(0.25);
    expect(ari - kmAri, at).toBeGreaterThanOrEqual(0.15);
    expect(r.betaTrace).toEqual([0.6]);
    expect(r.backend).toBe('cpu');
  });

  it('fixed beta, 8 neighbours, CPU reference: regression test of one fixed-seed trajectory (ARI >= 0.9 for map seed 9, chain seed 2)', async () => {
    // Not a claim about fresh inputs (see above: nearly half of fresh seeds score below 0.9). This pins
    // the float64 reference's trajectory for one seed pair, which scored 0.958; a change to the
    // reference's random-number use, k-means seeding or sweep order shows up here.
    const small = grainMap({ ny: 48, nx: 48, seed: 9, cells: 8 });
    const r = await segmentMrf(null, small.image, { k: 4, beta: 0.6, neighbours: 8, burnIn: 60, samples: 60, anneal: 40, seed: 2 });
    expect(adjustedRandIndex(r.labels, small.labels)).toBeGreaterThanOrEqual(0.9);
    expect(r.betaTrace).toEqual([0.6]);
    expect(r.backend).toBe('cpu');
  });
});

describe('segmentMrf rejects bad input with one clear line', () => {
  const img = (ny: number, nx: number, d = 3) => ({ data: new Float32Array(ny * nx * d).map((_, i) => i % 7), ny, nx, channels: d });

  it('K larger than the pixels', async () => {
    await expect(segmentMrf(null, img(3, 3), { k: 10 })).rejects.toThrow('mrf: k = 10 classes is more than the 9 pixels of the 3×3 image');
  });
  it('a 1-pixel-wide image', async () => {
    await expect(segmentMrf(null, img(20, 1), { k: 2 })).rejects.toThrow(/at least 2 pixels wide and high, got 20×1/);
  });
  it('NaN, naming the pixel and channel', async () => {
    const x = img(4, 5);
    x.data[(2 * 5 + 3) * 3 + 1] = NaN;
    await expect(segmentMrf(null, x, { k: 2 })).rejects.toThrow('mrf: pixel (2, 3) channel 1 is NaN (1 non-finite value in all; the pixelMask option leaves dead pixels out)');
  });
  it('negative beta, wrong neighbours, bad seed, K < 2', async () => {
    await expect(segmentMrf(null, img(4, 4), { k: 2, beta: -0.5 })).rejects.toThrow("mrf: beta must be a finite number >= 0 (or 'estimate'), got -0.5");
    await expect(segmentMrf(null, img(4, 4), { k: 2, neighbours: 6 as 4 })).rejects.toThrow('neighbours must be 4 or 8');
    await expect(segmentMrf(null, img(4, 4), { k: 2, seed: -1 })).rejects.toThrow('seed must be an integer');
    await expect(segmentMrf(null, img(4, 4), { k: 1 })).rejects.toThrow('k (number of classes) must be an integer >= 2');
  });
});
