// Accuracy on a synthetic grain map whose noise defeats per-pixel clustering, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grainMap } from '../../../src/data/synth/grains.js';
import { cpuEngine, type Engine } from '../../../src/engine/index.js';
import { adjustedRandIndex, kmeans, segmentMrf } from '../../../src/methods/mrf/index.js';
import { openTestEngine } from '../../gpu-engine.js';

/** RMS distance of each found class mean to the true spectrum of the class it mostly covers. */
function meanSpectrumError(
  found: ArrayLike<number>,
  truth: ArrayLike<number>,
  means: Float64Array,
  spectra: Float64Array,
  k: number,
  d: number,
): number {
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
    const startAri = adjustedRandIndex(r.kmeansLabels, g.labels);
    const spectrumError = meanSpectrumError(r.labels, g.labels, r.means, g.spectra, 4, 32);
    const meanConf = r.confidence.reduce((a, b) => a + b, 0) / r.confidence.length;
    return { r, ari, kmAri, startAri, spectrumError, meanConf };
  }

  // The default start (init 'kmeans-smoothed', 8 restarts) over 204 fresh seeds (map and chain seed
  // alike; 4 of them the hardest maps of the plain start) on the software GPU: MRF ARI 0.940-0.978
  // (median 0.961; none below 0.9), the start's ARI 0.759-0.923, per-pixel k-means 0.146-0.277
  // (0.103 seen in a later run of this test).
  // The plain start (one k-means run on single pixels, before this start) scored 0.721-0.977 on
  // the same first 100 maps, 13 below 0.9 (19 of 180 earlier): a start that put two true classes
  // under one label and split another, which the chain did not undo. Thresholds: what held on all
  // 204 with margin.
  it('fresh seed: k-means on single pixels scores ARI near 0.25; the MRF (WebGPU, estimated beta, default smoothed start) reaches >= 0.9', async () => {
    const seed = Math.floor(Math.random() * 2 ** 32);
    const { r, ari, kmAri, startAri, spectrumError, meanConf } = await segment96(seed, seed);
    const beta = r.betaTrace.at(-1)!;
    const at = `seed ${seed}: MRF ARI ${ari.toFixed(3)}, start ARI ${startAri.toFixed(3)}, k-means ARI ${kmAri.toFixed(3)}, beta ${beta.toFixed(3)}, mean confidence ${meanConf.toFixed(3)}, spectrum error ${spectrumError.toFixed(3)}`;
    console.log(`grain map 96×96, noise 0.9, ${at}`);
    expect(kmAri, at).toBeGreaterThan(0.05);
    expect(kmAri, at).toBeLessThan(0.4);
    expect(r.options.init, at).toBe('kmeans-smoothed');
    expect(r.options.kmeansRestarts, at).toBe(8);
    expect(startAri, at).toBeGreaterThan(0.6);
    expect(ari, at).toBeGreaterThanOrEqual(0.9);
    expect(ari - kmAri, at).toBeGreaterThanOrEqual(0.5);
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
    expect(
      r.classSizes.reduce((a, b) => a + b, 0),
      at,
    ).toBe(96 * 96);
  });

  it('WebGPU, estimated beta: regression test of one fixed-seed trajectory (ARI >= 0.95 for map seed 3, chain seed 1)', async () => {
    // Pins the GPU chain's trajectory from the default start for one seed pair, which scored
    // 0.962 (start 0.889, per-pixel k-means 0.247, beta 1.540, spectrum error 0.021); a change to the kernels' random-number use, the start or sweep order shows up here.
    const { r, ari, kmAri, startAri, spectrumError } = await segment96(3, 1);
    console.log(
      `fixed seed: MRF ARI ${ari.toFixed(3)}, start ARI ${startAri.toFixed(3)}, k-means ARI ${kmAri.toFixed(3)}, beta ${r.betaTrace.at(-1)!.toFixed(3)}, spectrum error ${spectrumError.toFixed(3)}`,
    );
    expect(kmAri).toBeGreaterThan(0.1);
    expect(kmAri).toBeLessThan(0.4);
    expect(startAri).toBeGreaterThan(0.85);
    expect(ari).toBeGreaterThanOrEqual(0.95);
    expect(spectrumError).toBeLessThan(0.05);
    expect(r.backend).toBe('webgpu');
  });

  // Fixed beta 0.6 with 8 neighbours on a small map (48×48, 8 grains, noise 0.9) is near the
  // Potts critical coupling: the chain often lets one class die (sometimes two) and true classes
  // share a label. Over 400 fresh seeds (map and chain seed alike, 60/60/40 sweeps) the MRF scored
  // ARI 0.345–0.972 (5th percentile 0.61, median 0.92; 188 of 400 below 0.9), per-pixel k-means
  // 0.036–0.275, the gain over k-means 0.278–0.861 (5th percentile 0.47). ARI >= 0.9 is therefore
  // NOT a claim about this setup; the fresh-seed case asserts what held on all 400 with margin.
  // Those 400 runs used the plain start (one k-means run on single pixels), so both CPU cases
  // below ask for it (init 'kmeans', kmeansRestarts 1).
  it('fixed beta, 8 neighbours, CPU reference, fresh seed: the MRF lifts ARI far above per-pixel k-means', async () => {
    const seed = Math.floor(Math.random() * 2 ** 32);
    const small = grainMap({ ny: 48, nx: 48, seed, cells: 8 });
    const r = await segmentMrf(cpuEngine(), small.image, {
      k: 4,
      beta: 0.6,
      neighbours: 8,
      burnIn: 60,
      samples: 60,
      anneal: 40,
      seed,
      init: 'kmeans',
      kmeansRestarts: 1,
    });
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
    const r = await segmentMrf(cpuEngine(), small.image, {
      k: 4,
      beta: 0.6,
      neighbours: 8,
      burnIn: 60,
      samples: 60,
      anneal: 40,
      seed: 2,
      init: 'kmeans',
      kmeansRestarts: 1,
    });
    expect(adjustedRandIndex(r.labels, small.labels)).toBeGreaterThanOrEqual(0.9);
    expect(r.betaTrace).toEqual([0.6]);
    expect(r.backend).toBe('cpu');
  });
});

describe('segmentMrf rejects bad input with one clear line', () => {
  const img = (ny: number, nx: number, d = 3) => ({
    data: new Float32Array(ny * nx * d).map((_, i) => i % 7),
    ny,
    nx,
    channels: d,
  });

  it('K larger than the pixels', async () => {
    await expect(segmentMrf(cpuEngine(), img(3, 3), { k: 10 })).rejects.toThrow(
      'mrf: k = 10 classes is more than the 9 pixels of the 3×3 image',
    );
  });
  it('a 1-pixel-wide image', async () => {
    await expect(segmentMrf(cpuEngine(), img(20, 1), { k: 2 })).rejects.toThrow(
      /at least 2 pixels wide and high, got 20×1/,
    );
  });
  it('NaN, naming the pixel and channel', async () => {
    const x = img(4, 5);
    x.data[(2 * 5 + 3) * 3 + 1] = NaN;
    await expect(segmentMrf(cpuEngine(), x, { k: 2 })).rejects.toThrow(
      'mrf: pixel (2, 3) channel 1 is NaN (1 non-finite value in all; the pixelMask option leaves dead pixels out)',
    );
  });
  it('negative beta, wrong neighbours, bad seed, K < 2', async () => {
    await expect(segmentMrf(cpuEngine(), img(4, 4), { k: 2, beta: -0.5 })).rejects.toThrow(
      "beta must be >= 0 (or 'estimate'), not -0.5",
    );
    await expect(segmentMrf(cpuEngine(), img(4, 4), { k: 2, neighbours: 6 as 4 })).rejects.toThrow(
      'neighbours must be 4 or 8',
    );
    await expect(segmentMrf(cpuEngine(), img(4, 4), { k: 2, seed: -1 })).rejects.toThrow('seed must be an integer');
    await expect(segmentMrf(cpuEngine(), img(4, 4), { k: 1 })).rejects.toThrow(
      'k must be an integer >= 2 and <= 32, not 1',
    );
  });
});
