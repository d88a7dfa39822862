// Pseudo-likelihood beta recovers the coupling of Potts fields drawn at a known beta.
import { describe, expect, it } from 'vitest';
import { estimateBeta, samplePotts } from '../../../src/methods/mrf/index.js';
import { PhiloxStream } from '../../../src/random/index.js';

describe('estimateBeta (maximum pseudo-likelihood)', () => {
  it('gives ~0 for independent uniform labels', () => {
    const rng = new PhiloxStream(3);
    const labels = Uint32Array.from({ length: 64 * 64 }, () => rng.int(4));
    expect(estimateBeta(labels, 4, { ny: 64, nx: 64, neighbours: 4, periodic: false })).toBeLessThan(0.05);
  });

  it.each([
    [4, 0.6, 4],
    [3, 0.35, 8],
  ] as const)(
    'recovers beta from a K = %d Potts sample drawn at beta = %d (%d neighbours, 64×64 torus)',
    async (k, beta, neighbours) => {
      const lat = { ny: 64, nx: 64, neighbours, periodic: true } as const;
      const r = await samplePotts(null, { ...lat, k, beta, sweeps: 300, burnIn: 299, seed: 17 });
      const est = estimateBeta(r.labels, k, lat, 0.1);
      expect(Math.abs(est - beta)).toBeLessThan(0.06);
    },
  );

  it('is capped for a perfectly ordered map', () => {
    const labels = new Uint32Array(32 * 32);
    for (let i = 512; i < 1024; i++) labels[i] = 1;
    expect(estimateBeta(labels, 2, { ny: 32, nx: 32, neighbours: 4, periodic: false })).toBe(10);
  });
});
