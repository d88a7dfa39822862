// Bad input to nmf(): each a one-line InputError that says what is wrong and what to do.
import { describe, expect, it } from 'vitest';
import { InputError, openEngine, type Engine } from '../../../src/engine/index.js';
import { makeSpectrumImage } from '../../../src/data/types.js';
import { nmf, scree, type NmfOptions } from '../../../src/methods/nmf/index.js';

const cpu: Promise<Engine> = openEngine({ backend: 'cpu', log: () => undefined });

function image(ny: number, nx: number, channels: number, f: (p: number, c: number) => number) {
  const data = Float32Array.from({ length: ny * nx * channels }, (_, i) => f(Math.floor(i / channels), i % channels));
  return makeSpectrumImage(data, ny, nx, channels, undefined, { meta: { source: 'stack.npy' } });
}
const good = () => image(4, 5, 6, (p, c) => 1 + ((p * 7 + c * 3) % 5));

async function messageOf(o: NmfOptions, img = good()): Promise<string> {
  try {
    await nmf(await cpu, img, o);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected an InputError, but nmf returned');
}

describe('nmf bad input', () => {
  it('negative values with a non-negative method name semi-NMF and the pixel', async () => {
    const img = good();
    img.data[(2 * 5 + 3) * 6 + 4] = -0.5;
    const msg = await messageOf({ k: 2, method: 'hals' }, img);
    expect(msg).toMatch(/stack\.npy: method 'hals' needs non-negative data but pixel \(2, 3\) channel 4 is -0\.5/);
    expect(msg).toContain('--method semi (semi-NMF)');
  });

  it('reference subtraction makes data signed: the message says so', async () => {
    const msg = await messageOf({ k: 2, method: 'mu', reference: 'mean' });
    expect(msg).toContain('after reference subtraction');
    expect(msg).toContain('semi-NMF');
  });

  it('k larger than min(pixels, channels)', async () => {
    expect(await messageOf({ k: 7 })).toBe('nmf: k = 7 is larger than min(pixels, channels) = min(20, 6) = 6');
    // with a channel mask the limit follows the fitted channels
    expect(await messageOf({ k: 4, channelMask: [1, 1, 1, 0, 0, 0] })).toContain('min(20, 3) = 3');
  });

  it('all-zero and constant data', async () => {
    expect(
      await messageOf(
        { k: 1 },
        image(3, 3, 4, () => 0),
      ),
    ).toBe('stack.npy: the data are constant (every value is 0); there is nothing to factorise');
    expect(
      await messageOf(
        { k: 1 },
        image(3, 3, 4, () => 2.5),
      ),
    ).toContain('constant (every value is 2.5)');
  });

  it('NaN names the pixel and channel', async () => {
    const img = good();
    img.data[(1 * 5 + 2) * 6 + 3] = NaN;
    expect(await messageOf({ k: 2 }, img)).toBe(
      'stack.npy: pixel (1, 2) channel 3 is NaN (1 non-finite value in all; the pixelMask option leaves dead pixels out)',
    );
  });

  it('bad options', async () => {
    expect(await messageOf({ k: 0 })).toBe('k must be an integer >= 1 and <= 64, not 0');
    expect(await messageOf({ k: 2, method: 'pca' as never })).toContain(
      "method must be mu, kl, hals, so, ard, onmf, semi or minvol, not 'pca'",
    );
    expect(await messageOf({ k: 2, tol: -1 })).toContain('tol must be >= 0, not -1');
    expect(await messageOf({ k: 2, pixelMask: [1, 0] })).toBe(
      'stack.npy: the pixel mask has 2 entries but the data have 20',
    );
    expect(await messageOf({ k: 2, pixelMask: new Array(20).fill(0) })).toBe(
      'stack.npy: the pixel mask selects nothing',
    );
    expect(await messageOf({ k: 2, reference: { spectrum: [1, 2] } })).toContain(
      'the reference spectrum has 2 channels but the data have 6',
    );
    expect(await messageOf({ k: 2, method: 'semi', reference: 'mean', poisson: true })).toContain(
      'Poisson normalisation needs counts',
    );
  });

  it('scree rejects NaN too', async () => {
    const img = good();
    img.data[0] = Infinity;
    await expect(scree(await cpu, img)).rejects.toThrow('stack.npy: pixel (0, 0) channel 0 is +Inf');
  });
});
