// Accuracy on fresh synthetic spectra (float64 reference; the seed in every message): the number
// of well-separated peaks is found, and 90 % credible intervals cover the truth at their nominal rate.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { bayesPeaks } from '../../../src/methods/bayes/index.js';
import { axis, randomPeaks, synthSpectra } from '../../../src/methods/bayes/synth.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ backend: 'cpu', log: () => undefined });
});
afterAll(() => engine?.close());

const fresh = () => Math.floor(Math.random() * 2 ** 32);

it('K = 1..3 peaks >= 2 FWHM apart at SNR 20: K found on every one of 6 fresh spectra', async () => {
  const seed = fresh();
  const r = new PhiloxStream(seed, 7);
  const truths = Array.from({ length: 6 }, (_, i) => randomPeaks(r, 1 + (i % 3), 2.5, 20));
  const img = synthSpectra(axis(151, 0, 3), truths, seed);
  const res = await bayesPeaks(engine, img, { kmax: 3, burnIn: 200, sweeps: 200, seed });
  const got = res.spectra.map((s) => s.kSelected);
  const want = truths.map((t) => t.a.length);
  const detail = res.spectra.map((s, i) => `#${i} K ${want[i]} → ${got[i]} p ${Array.from(s.pK, (p) => p.toFixed(2))}`);
  console.log(`K-right, seed ${seed}: ${detail.join('; ')}`);
  expect(got, `seed ${seed}: ${detail.join('; ')}`).toEqual(want);
  // A noise sd estimated from n channels has a relative standard error of about 1/sqrt(2n) (5.8 %
  // at n = 151): the bound is 4 of them, so 6 spectra pass together on all but ~4e-4 of seeds.
  const bound = 4 / Math.sqrt(2 * img.channels);
  res.spectra.forEach((s, i) =>
    expect(
      Math.abs(s.noise / truths[i]!.noise - 1),
      `seed ${seed} spectrum ${i}: noise ${s.noise} vs ${truths[i]!.noise}`,
    ).toBeLessThan(bound),
  );
}, 600_000);

it('90 % credible intervals cover the truth on 85-95 % of the parameters of 200 fresh one-peak spectra', async () => {
  const seed = fresh();
  const r = new PhiloxStream(seed, 8);
  const truths = Array.from({ length: 200 }, () => randomPeaks(r, 1, 0, 20));
  const img = synthSpectra(axis(101, 0, 3), truths, seed);
  const res = await bayesPeaks(engine, img, {
    kmax: 1,
    replicas: 12,
    ratio: 2.4,
    burnIn: 100,
    sweeps: 200,
    samples: 100,
    seed,
  });
  let covered = 0;
  let total = 0;
  res.spectra.forEach((s, i) => {
    const t = truths[i]!;
    const p = s.peaks[0]!;
    for (const [q, v] of [
      [p.height, t.a[0]!],
      [p.position, t.mu[0]!],
      [p.b, t.b[0]!],
    ] as const) {
      total++;
      if (v >= q.lo90 && v <= q.hi90) covered++;
    }
  });
  const rate = covered / total;
  console.log(`coverage, seed ${seed}: ${covered} of ${total} = ${rate.toFixed(3)}`);
  expect(rate, `seed ${seed}: 90 % intervals cover ${covered} of ${total}`).toBeGreaterThanOrEqual(0.85);
  expect(rate, `seed ${seed}: 90 % intervals cover ${covered} of ${total}`).toBeLessThanOrEqual(0.95);
}, 900_000);
