// pixelMask: dead (NaN) pixels left out of the fit on both backends. A masked-out pixel is treated
// exactly as a pixel without counts (the backends' "not fitted" path), so a masked fit must equal,
// bit for bit, the fit of the same map with those pixels set to zero; only the summary tells
// masked from empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, openEngine, type Engine } from '../../../src/engine/index.js';
import { makeSpectrumImage, type SpectrumImage } from '../../../src/data/types.js';
import { fitPeaks, type PeakFitOptions } from '../../../src/methods/peaks/index.js';
import { openTestEngine } from '../../gpu-engine.js';
import { randomPeakMap } from './random-map.js';
import { peaksReport, pixelStatus } from '../../../src/report/peaks.js';

const engines: Record<'cpu' | 'webgpu', Engine | undefined> = { cpu: undefined, webgpu: undefined };
beforeAll(async () => {
  engines.cpu = await openEngine({ backend: 'cpu', log: () => undefined });
  engines.webgpu = await openTestEngine();
});
afterAll(() => engines.webgpu?.close());

const NY = 3;
const NX = 4;
const DEAD = [2, 7, 9];

/** A 3 × 4 random two-peak map with NaN / -Inf in the DEAD pixels. */
function deadPixelMap(seed: number): SpectrumImage {
  const map = randomPeakMap({ pixels: NY * NX, K: 2, seed, channels: 120 });
  const C = map.image.channels;
  const img = makeSpectrumImage(Float32Array.from(map.image.data), NY, NX, C, Float64Array.from(map.image.energy));
  img.data.fill(NaN, 2 * C, 3 * C); // a dead pixel: every channel NaN
  img.data[7 * C + 5] = NaN; // a hot/dead channel
  img.data[9 * C + C - 1] = -Infinity;
  img.data[9 * C] = -4; // negative counts in a masked pixel are not checked either
  return img;
}

function maskWithout(out: number[]): Uint8Array {
  const mask = new Uint8Array(NY * NX).fill(1);
  for (const p of out) mask[p] = 0;
  return mask;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg).not.toContain('\n');
  return msg;
}

describe.each(['cpu', 'webgpu'] as const)('pixelMask on the %s backend', (backend) => {
  const opts: PeakFitOptions = { peaks: 2, starts: 2 };

  it('a map with NaN pixels is refused without a mask, naming the first one', async () => {
    const seed = Math.floor(Math.random() * 0xffffffff);
    const msg = await refusal(fitPeaks(engines[backend]!, deadPixelMap(seed), opts));
    expect(msg, `seed ${seed}`).toMatch(
      /pixel \(0, 2\) channel 0 is NaN \(\d+ non-finite values in all; the pixelMask option leaves dead pixels out\)$/,
    );
  });

  it('fits with a mask that leaves them out: masked pixels NaN / converged 0 / iterations 0, the rest bit-identical to the fit with those pixels zeroed', async () => {
    const seed = Math.floor(Math.random() * 0xffffffff);
    const img = deadPixelMap(seed);
    const before = Float32Array.from(img.data);
    const r = await fitPeaks(engines[backend]!, img, { ...opts, pixelMask: maskWithout(DEAD) });
    expect(r.backend).toBe(backend);
    expect(Array.from(img.data), 'the caller’s data are not modified').toEqual(Array.from(before));
    expect(r.summary, `seed ${seed}`).toMatchObject({ pixels: 12, masked: 3, empty: 0 });
    expect(r.summary.converged, `seed ${seed}`).toBe(9);
    for (const [name, m] of Object.entries(r.maps)) {
      for (let p = 0; p < NY * NX; p++) {
        const v = m.data[p]!;
        if (!DEAD.includes(p)) expect(Number.isFinite(v), `${name}[${p}], seed ${seed}`).toBe(true);
        else if (name === 'converged' || name === 'iterations') expect(v, `${name}[${p}]`).toBe(0);
        else expect(v, `${name}[${p}]`).toBeNaN();
      }
    }
    // The same map with the dead pixels' counts set to 0 (no mask): the "no counts" path.
    const zeroed = makeSpectrumImage(Float32Array.from(before), NY, NX, img.channels, img.energy);
    for (const p of DEAD) zeroed.data.fill(0, p * img.channels, (p + 1) * img.channels);
    const z = await fitPeaks(engines[backend]!, zeroed, opts);
    expect(z.summary).toMatchObject({
      masked: 0,
      empty: 3,
      converged: r.summary.converged,
      meanIterations: r.summary.meanIterations,
    });
    expect(Array.from(r.mean!.spectrum)).toEqual(Array.from(z.mean!.spectrum));
    expect(Object.keys(r.maps)).toEqual(Object.keys(z.maps));
    for (const [name, m] of Object.entries(z.maps))
      expect(Array.from(r.maps[name]!.data), `${name}, seed ${seed}`).toEqual(Array.from(m.data));
  });

  it('the fit status tells masked-out pixels (3) from pixels without counts (2), and the report says so', async () => {
    const seed = Math.floor(Math.random() * 0xffffffff);
    const img = deadPixelMap(seed);
    img.data.fill(0, 4 * img.channels, 5 * img.channels); // pixel 4: no counts, selected
    const r = await fitPeaks(engines[backend]!, img, { ...opts, pixelMask: maskWithout(DEAD) });
    const status = pixelStatus(r);
    expect(
      Array.from(status).map((v, p) => (DEAD.includes(p) ? v === 3 : p === 4 ? v === 2 : v <= 1)),
      `seed ${seed}`,
    ).not.toContain(false);
    const html = peaksReport(r, img, { title: 'dead pixels', source: 'dead.npy', adapter: 'test', given: {} });
    expect(html).toContain('masked out');
    expect(html).toContain('or left out by the pixel mask');
    // Without a mask, no pixel is status 3 and the legend has no 'masked out'.
    const plain = await fitPeaks(
      engines[backend]!,
      makeSpectrumImage(
        Float32Array.from(img.data).map((v) => (Number.isFinite(v) && v > 0 ? v : 0)),
        NY,
        NX,
        img.channels,
        img.energy,
      ),
      opts,
    );
    expect(Array.from(pixelStatus(plain))).not.toContain(3);
    expect(
      peaksReport(plain, img, { title: 'dead pixels', source: 'dead.npy', adapter: 'test', given: {} }),
    ).not.toContain('masked out');
  });

  it('a leaky mask is refused naming the first selected non-finite pixel', async () => {
    const msg = await refusal(
      fitPeaks(engines[backend]!, deadPixelMap(11), { ...opts, pixelMask: maskWithout([2, 7]) }),
    );
    expect(msg).toMatch(
      /^input: pixel \(2, 1\) channel 119 is -Inf \(1 non-finite value in the selected pixels; the pixelMask option selects this pixel\)$/,
    );
  });
});

describe('pixelMask checks (before any engine opens)', () => {
  const never = () => Promise.reject(new Error('the engine must not open'));

  it('a mask of the wrong length or selecting no pixel is a one-line error naming the option', async () => {
    const img = deadPixelMap(3);
    expect(await refusal(fitPeaks(never, img, { peaks: 2, pixelMask: new Uint8Array(11).fill(1) }))).toBe(
      'pixelMask has 11 values but the map has 3 × 4 = 12 pixels',
    );
    expect(await refusal(fitPeaks(never, img, { peaks: 2, pixelMask: new Uint8Array(12) }))).toBe(
      'pixelMask selects no pixel (all 12 are 0): nothing to fit',
    );
  });

  it('negative counts are counted among the selected pixels only', async () => {
    const img = deadPixelMap(5);
    img.data.fill(-2, 4 * 120 + 3, 4 * 120 + 6);
    // 3 of the 9 × 120 selected values (0.28 %; of all 12 × 120 it would be 0.21 %).
    const msg = await refusal(fitPeaks(never, img, { peaks: 2, pixelMask: maskWithout(DEAD) }));
    expect(msg).toContain('pixel (1, 0), channel 3 holds negative counts (-2; 3 negative values in all, 0.28 %)');
  });
});
