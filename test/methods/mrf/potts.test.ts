// The sampler with the data term off against known Potts statistics: exact enumeration on
// small tori, Onsager's Ising solution (K = 2) on a 64×64 torus away from beta_c (finite-size
// effects there are exponentially small), the beta -> 0 limit 1/K and the ordered limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.js';
import { samplePotts } from '../../../src/methods/mrf/index.js';
import { openTestEngine } from '../../gpu-engine.js';
import { enumeratedLikeFraction, isingLikeFraction } from './potts-exact.js';

describe('Potts prior sampler (data term off)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());

  it('exact formulas: Onsager at beta_c gives (1 + 1/sqrt 2)/2; enumeration at beta = 0 gives 1/K', () => {
    expect(isingLikeFraction(Math.log(1 + Math.SQRT2) + 1e-9)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 6);
    expect(enumeratedLikeFraction(2, 2, 3, 0, 4)).toBeCloseTo(1 / 3, 12);
  });

  it.each([
    [2, 0.6, 4],
    [2, 1.1, 8],
    [3, 0.8, 4],
  ] as const)(
    'CPU reference, K = %d, beta = %d, %d neighbours: small torus matches exact enumeration',
    async (k, beta, nb) => {
      // 4×4 for K = 2 (2^16 states); 2×4 for K = 3 (3^8 states; up and down are then the same
      // pixel, a double edge, which enumeration and sampler both count twice).
      const ny = k === 2 ? 4 : 2;
      const exact = enumeratedLikeFraction(ny, 4, k, beta, nb);
      const r = await samplePotts(null, { ny, nx: 4, k, beta, neighbours: nb, sweeps: 12_000, burnIn: 200, seed: 11 });
      expect(Math.abs(r.mean - exact)).toBeLessThan(5 * r.stdErr + 1e-3);
      expect(r.stdErr).toBeLessThan(0.01);
    },
  );

  it.each([
    [0.5, 'random'],
    [1.3, 'ordered'],
  ] as const)('WebGPU, K = 2, beta = %d: 64×64 torus matches Onsager', async (beta, init) => {
    const exact = isingLikeFraction(beta);
    const r = await samplePotts(engine, {
      ny: 64,
      nx: 64,
      k: 2,
      beta,
      sweeps: 800,
      burnIn: 200,
      measureEvery: 5,
      seed: 3,
      init,
    });
    expect(Math.abs(r.mean - exact)).toBeLessThan(5 * r.stdErr + 2e-3);
  });

  it('WebGPU and CPU reference agree in distribution: K = 4, beta = 0.9, 8 neighbours, 32×32 torus', async () => {
    const o = { ny: 32, nx: 32, k: 4, beta: 0.9, neighbours: 8 as const, sweeps: 1200, burnIn: 200, measureEvery: 5 };
    const g = await samplePotts(engine, { ...o, seed: 21 });
    const c = await samplePotts(null, { ...o, seed: 22 });
    expect(Math.abs(g.mean - c.mean)).toBeLessThan(5 * Math.hypot(g.stdErr, c.stdErr) + 2e-3);
  });

  it('limits: beta = 0 gives 1/K; beta = 5 from an ordered start stays ordered', async () => {
    const free = await samplePotts(engine, {
      ny: 64,
      nx: 64,
      k: 4,
      beta: 0,
      sweeps: 120,
      burnIn: 20,
      measureEvery: 5,
      seed: 8,
    });
    expect(Math.abs(free.mean - 0.25)).toBeLessThan(5 * free.stdErr + 1e-3);
    const frozen = await samplePotts(engine, {
      ny: 64,
      nx: 64,
      k: 4,
      beta: 5,
      sweeps: 120,
      burnIn: 20,
      measureEvery: 5,
      seed: 8,
      init: 'ordered',
    });
    expect(frozen.mean).toBeGreaterThan(0.999);
  });
});
