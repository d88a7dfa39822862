import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/methods/mrf/index.js';

describe('adjustedRandIndex', () => {
  it('matches a hand computation: [0,0,1,1] vs [0,0,1,2] = 4/7', () => {
    // n = 4, C(4,2) = 6; contingency cells 2,1,1 -> Σ C(n_ij,2) = 1; rows 2,2 -> 2; columns 2,1,1 -> 1;
    // expected = 2·1/6 = 1/3; max = (2 + 1)/2 = 3/2; ARI = (1 - 1/3)/(3/2 - 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 14);
  });

  it('matches sklearn.metrics.adjusted_rand_score on small examples', () => {
    // Values printed by scikit-learn 1.x (/usr/bin/python3).
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 1, 2, 2, 2, 0, 0])).toBeCloseTo(
      0.09090909090909091,
      14,
    );
    expect(adjustedRandIndex([3, 3, 3, 7, 7, 1, 1, 1, 9, 9, 9, 9], [0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 5, 5])).toBeCloseTo(
      0.32946298984034833,
      14,
    );
  });

  it('is 1 for the same partition under renamed labels, and near 0 for independent ones', () => {
    const a = Uint32Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5);
    const renamed = a.map((v) => [3, 0, 4, 1, 2][v]!);
    expect(adjustedRandIndex(a, renamed)).toBe(1);
    const b = Uint32Array.from({ length: 5000 }, (_, i) => (i * 104729 + (i >> 3)) % 4);
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.02);
  });

  it('rejects labelings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/2 and 1 elements/);
  });
});
