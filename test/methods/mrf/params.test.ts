// meanChannelVariance (the variance floor's scale, src/methods/mrf/params.ts) on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { meanChannelVariance } from '../../../src/methods/mrf/params.js';

describe('meanChannelVariance', () => {
  // 3 pixels × 2 channels: channel 0 = 1, 2, 3 (variance 2/3), channel 1 = 0, 0, 6 (mean 2, variance 8).
  const data = Float32Array.of(1, 0, 2, 0, 3, 6);

  it('averages the per-channel population variances', () => {
    expect(meanChannelVariance(data, 3, 2)).toBeCloseTo((2 / 3 + 8) / 2, 12);
  });

  it('counts only the pixels a mask selects', () => {
    // Pixels 0 and 2: channel 0 = 1, 3 (variance 1), channel 1 = 0, 6 (variance 9); pixel 1 NaN (masked).
    const withNaN = Float32Array.of(1, 0, NaN, NaN, 3, 6);
    expect(meanChannelVariance(withNaN, 3, 2, Uint8Array.of(1, 0, 1))).toBeCloseTo(5, 12);
  });
});
