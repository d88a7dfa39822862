// Bad data and bad options: one-line InputErrors naming the pixel/channel/option; empty spectra
// flagged, never a crash.
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, openEngine, type Engine } from '../../../src/engine/index.js';
import { makeSpectrumImage } from '../../../src/data/types.js';
import { fitPeaks, resolvePeaks, type PeakFitOptions } from '../../../src/methods/peaks/index.js';
import { axis, exactImage } from './exact-data.js';

let cpu: Engine;
beforeAll(async () => {
  cpu = await openEngine({ backend: 'cpu', log: () => undefined });
});

const E = axis(10, 0.1, 81);
const peak = { position: 14, sigma: 0.4, area: 2000 };

function image4() {
  return exactImage(
    E,
    [0, 1, 2, 3].map(() => ({ peaks: [peak], bg: [3, 3] as [number, number] })),
  );
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toContain('\n');
}

describe('bad data', () => {
  it('NaN and Inf name the pixel and channel', async () => {
    const img = image4();
    img.data[2 * 81 + 7] = NaN;
    await rejects(
      fitPeaks(cpu, img, { peaks: 1 }),
      /^input: spectrum 2 channel 7 is NaN \(1 non-finite value in all; /,
    );
    const map = makeSpectrumImage(image4().data, 2, 2, 81, E);
    map.data[3 * 81 + 5] = -Infinity;
    await rejects(
      fitPeaks(cpu, map, { peaks: 1 }),
      /^input: pixel \(1, 1\) channel 5 is -Inf \(1 non-finite value in all; /,
    );
  });

  it("negative counts: an error that says how to clip, or clipped with negative: 'clip'", async () => {
    const img = image4();
    img.data[1 * 81 + 40] = -3;
    img.data[3 * 81 + 2] = -1;
    await rejects(
      fitPeaks(cpu, img, { peaks: 1 }),
      /spectrum 1, channel 40 holds negative counts \(-3; 2 negative values in all, 0\.62 %\).*negative: 'clip'/,
    );
    const r = await fitPeaks(cpu, img, { peaks: 1, negative: 'clip' });
    expect(r.summary.converged).toBe(4);
    expect(img.data[1 * 81 + 40]).toBe(-3); // the caller's data are not modified
  });

  it('an all-zero spectrum is flagged (converged 0, outputs NaN) while the others are fitted', async () => {
    const img = image4();
    img.data.fill(0, 81, 162);
    const r = await fitPeaks(cpu, img, { peaks: 1 });
    expect(r.summary).toMatchObject({ pixels: 4, empty: 1, converged: 3 });
    expect(r.maps.converged!.data[1]).toBe(0);
    expect(r.maps.iterations!.data[1]).toBe(0);
    for (const name of ['p1_position', 'p1_fwhm', 'p1_area', 'p1_fraction', 'background', 'loglik']) {
      expect(r.maps[name]!.data[1], name).toBeNaN();
      expect(r.maps[name]!.data[0], name).not.toBeNaN();
    }
  });

  it('a map without any counts gives NaN maps and no converged pixel, not a crash', async () => {
    const img = image4();
    img.data.fill(0);
    const r = await fitPeaks(cpu, img, { peaks: 2 });
    expect(r.summary).toMatchObject({ pixels: 4, empty: 4, converged: 0 });
    expect(Array.from(r.maps.p1_position!.data).every(Number.isNaN)).toBe(true);
  });

  it('an energy axis that is not strictly monotonic, or too short', async () => {
    const e = Float64Array.from(E);
    e[30] = e[29]!;
    await rejects(
      fitPeaks(cpu, makeSpectrumImage(image4().data, 1, 4, 81, e), { peaks: 1 }),
      /not strictly monotonic at channel 30/,
    );
    await rejects(
      fitPeaks(cpu, makeSpectrumImage(new Float32Array(2), 1, 1, 2, Float64Array.of(1, 2)), { peaks: 1 }),
      /at least 3 channels/,
    );
  });

  it('a descending energy axis (binding energy as measured) fits like the ascending one', async () => {
    const img = image4();
    const rev = new Float32Array(img.data.length);
    for (let p = 0; p < 4; p++) for (let n = 0; n < 81; n++) rev[p * 81 + n] = img.data[p * 81 + 80 - n]!;
    const desc = makeSpectrumImage(rev, 1, 4, 81, Float64Array.from(E).reverse());
    const a = await fitPeaks(cpu, img, { peaks: 1, tol: 1e-13, llFloor: 0 });
    const d = await fitPeaks(cpu, desc, { peaks: 1, tol: 1e-13, llFloor: 0 });
    expect(d.maps.p1_position!.data[0]).toBeCloseTo(a.maps.p1_position!.data[0]!, 4);
    expect(d.maps.p1_area!.data[0]! / a.maps.p1_area!.data[0]!).toBeCloseTo(1, 5);
  });
});

describe('bad options', () => {
  const bad: [string, PeakFitOptions, RegExp][] = [
    ['no peaks', { peaks: 0 }, /peaks must be a positive integer/],
    ['too many peaks', { peaks: 9 }, /at most 8 peaks/],
    ['bad name', { peaks: [{ name: 'a b' }] }, /name 'a b' may only hold/],
    ['duplicate name', { peaks: [{ name: 'a' }, { name: 'a' }] }, /'a' is used twice/],
    [
      'unknown link',
      { peaks: [{ name: 'a' }, { name: 'b', link: { peak: 'c', split: 1, ratio: 1 } }] },
      /links to unknown peak "c"/,
    ],
    [
      'chained link',
      {
        peaks: [
          { name: 'a' },
          { name: 'b', link: { peak: 'a', split: 1, ratio: 1 } },
          { name: 'c', link: { peak: 'b', split: 1, ratio: 1 } },
        ],
      },
      /'c' links to 'b', which is itself linked/,
    ],
    [
      'linked with its own position',
      { peaks: [{ name: 'a' }, { name: 'b', position: 3, link: { peak: 'a', split: 1, ratio: 1 } }] },
      /'b' is linked to 'a'/,
    ],
    [
      'bad ratio',
      { peaks: [{ name: 'a' }, { name: 'b', link: { peak: 'a', split: 1, ratio: 0 } }] },
      /link.ratio must be > 0/,
    ],
    ['fixed without position', { peaks: [{ fixed: true }] }, /'p1' is fixed but has no position/],
    ['position outside bounds', { peaks: [{ position: 5, bounds: [12, 14] }] }, /position 5 lies outside its bounds/],
    ['inverted bounds', { peaks: [{ bounds: [14, 12] }] }, /bounds \[14, 12\] must have min < max/],
    ['bad fwhm', { peaks: [{ fwhm: -1 }] }, /fwhm must be > 0/],
    [
      'unknown background',
      { peaks: 1, background: ['polynomial' as 'uniform'] },
      /background component 'polynomial' is unknown: use uniform, rampUp, rampDown, shirley, shirleyKE, tougaard, tougaardKE$/,
    ],
    [
      'two Shirley orientations',
      { peaks: 1, background: ['shirley', 'shirleyKE'] },
      /'shirley' .* and 'shirleyKE' .* are two orientations of one step: use one/,
    ],
    ['sigma bounds', { peaks: 1, sigmaBounds: [0, 1] }, /sigmaBounds \[0, 1\] must satisfy/],
    ['max iterations', { peaks: 1, maxIterations: 0 }, /maxIterations must be an integer/],
    ['tol', { peaks: 1, tol: -1 }, /^tol must be >= 0 and < 1, not -1$/],
    [
      'init user without values',
      { peaks: [{ position: 12 }], init: 'user' },
      /init 'user' needs position and fwhm for peak 'p1' \(CLI: --peaks POSITION@FWHM/,
    ],
    ['starts', { peaks: 1, starts: 0 }, /starts must be an integer/],
    ['negative', { peaks: 1, negative: 'drop' as 'clip' }, /^negative must be error or clip, not 'drop'$/],
  ];
  for (const [what, options, pattern] of bad) {
    it(what, () => {
      expect(() => resolvePeaks(options, E)).toThrow(InputError);
      expect(() => resolvePeaks(options, E)).toThrow(pattern);
    });
  }
});
