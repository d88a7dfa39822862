// The shared NaN/Inf refusal: what it counts under pixel and channel masks, how it names the
// place in a map and in a list, and the hint a front end swaps by type.
import { describe, expect, it } from 'vitest';
import { assertNoNonFinite, findNonFinite, nonFiniteError, NonFiniteError } from '../../src/data/non-finite.js';
import { makeSpectrumImage } from '../../src/data/types.js';
import { withPixelMaskHint } from '../../src/cli/pixel-mask.js';
import { InputError } from '../../src/engine/errors.js';

// 3 × 4 pixels, 5 channels; NaN at pixel (1, 2) channel 3, +Inf at (2, 0) channel 1, -Inf at (2, 3) channel 4.
function badMap(layout: 'map' | 'list' = 'map') {
  const img = makeSpectrumImage(
    new Float32Array(3 * 4 * 5).fill(1),
    layout === 'map' ? 3 : 1,
    layout === 'map' ? 4 : 12,
    5,
    undefined,
    {
      layout,
      meta: { source: 'scan.npy' },
    },
  );
  img.data[(1 * 4 + 2) * 5 + 3] = NaN;
  img.data[(2 * 4 + 0) * 5 + 1] = Infinity;
  img.data[(2 * 4 + 3) * 5 + 4] = -Infinity;
  return img;
}

describe('findNonFinite', () => {
  it('finds the first and counts, over the selected pixels and channels only', () => {
    const { data } = badMap();
    expect(findNonFinite(data, 5)).toEqual({ first: 33, count: 3 });
    const pixels = new Uint8Array(12).fill(1);
    pixels[6] = 0;
    expect(findNonFinite(data, 5, pixels)).toEqual({ first: 41, count: 2 });
    expect(findNonFinite(data, 5, pixels, [1, 0, 1, 1, 1])).toEqual({ first: 59, count: 1 });
    expect(findNonFinite(new Float32Array(10).fill(2), 5)).toBeNull();
  });
});

describe('nonFiniteError', () => {
  it('names the file, the pixel (y, x) and channel, the value and the count; an InputError', () => {
    const e = nonFiniteError(badMap(), { hint: null });
    expect(e).toBeInstanceOf(InputError);
    expect(e!.message).toBe('scan.npy: pixel (1, 2) channel 3 is NaN (3 non-finite values in all)');
    expect(() => assertNoNonFinite(badMap(), { what: 'other.h5' })).toThrow(
      'other.h5: pixel (1, 2) channel 3 is NaN (3 non-finite values in all; the pixelMask option leaves dead pixels out)',
    );
  });

  it('a list names the spectrum by index; the kind of value is NaN, +Inf or -Inf', () => {
    const pixels = new Uint8Array(12).fill(1);
    pixels[6] = 0;
    expect(nonFiniteError(badMap('list'), { pixelMask: pixels })!.message).toBe(
      'scan.npy: spectrum 8 channel 1 is +Inf (2 non-finite values in the selected pixels; the pixelMask option selects this pixel)',
    );
    pixels[8] = 0;
    expect(nonFiniteError(badMap(), { pixelMask: pixels, channelMask: [1, 1, 1, 1, 1] })!.message).toMatch(
      /^scan\.npy: pixel \(2, 3\) channel 4 is -Inf \(1 non-finite value in the selected pixels;/,
    );
    expect(nonFiniteError(badMap(), { channelMask: [0, 1, 1, 0, 1], hint: null })!.message).toBe(
      'scan.npy: pixel (2, 0) channel 1 is +Inf (2 non-finite values in the selected channels)',
    );
  });

  it('a mask selecting every pixel counts as none; clean data give null', () => {
    expect(nonFiniteError(badMap(), { pixelMask: new Uint8Array(12).fill(1), hint: null })!.message).toContain(
      '(3 non-finite values in all)',
    );
    const clean = makeSpectrumImage(new Float32Array(20).fill(1), 2, 2, 5);
    expect(nonFiniteError(clean)).toBeNull();
  });

  it('the CLI swaps the hint by type: --pixel-mask wording, the rest of the message unchanged; other errors pass through', () => {
    const e = nonFiniteError(badMap())!;
    const cli = withPixelMaskHint(e) as NonFiniteError;
    expect(cli).toBeInstanceOf(NonFiniteError);
    expect(cli.message).toBe(
      'scan.npy: pixel (1, 2) channel 3 is NaN (3 non-finite values in all; --pixel-mask FILE leaves dead pixels out)',
    );
    expect(cli.detail).toMatchObject({ what: 'scan.npy', first: 33, count: 3, hint: 'cli' });
    const pixels = new Uint8Array(12).fill(1);
    pixels[0] = 0;
    expect((withPixelMaskHint(nonFiniteError(badMap(), { pixelMask: pixels })) as Error).message).toBe(
      'scan.npy: pixel (1, 2) channel 3 is NaN (3 non-finite values in the selected pixels; --pixel-mask selects this pixel)',
    );
    // A message that merely reads like one is not rewritten.
    const lookalike = new InputError('x.npy: pixel (0, 0) channel 0 is NaN (1 non-finite value in all)');
    expect(withPixelMaskHint(lookalike)).toBe(lookalike);
  });
});
