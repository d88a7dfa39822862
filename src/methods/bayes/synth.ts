// Synthetic spectra with known peaks: the paper's test (Nagata, Sugita & Okada 2012: x = 0..3,
// n = 301, s = 0.1, three Gaussians) and random ones with K peaks at a chosen separation and SNR.
import { PhiloxStream } from '../../random/index.js';
import type { SpectrumImage } from '../../data/types.js';
import { fwhmOf } from './driver.js';

export interface TruePeaks {
  a: number[];
  mu: number[];
  b: number[];
  noise: number;
}

/** The paper's three peaks and noise level. */
export const PAPER_TRUTH: TruePeaks = {
  a: [0.587, 1.522, 1.183],
  mu: [1.21, 1.455, 1.703],
  b: [95.689, 146.837, 164.469],
  noise: 0.1,
};

/** The paper's priors: a ~ Gamma(5, rate 5), μ ~ N(1.5, var 0.2), b ~ Gamma(5, rate 0.04). */
export const PAPER_PRIORS = { aShape: 5, aRate: 5, muMean: 1.5, muVar: 0.2, bShape: 5, bRate: 0.04 } as const;

export function axis(n: number, x0: number, x1: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => x0 + ((x1 - x0) * i) / (n - 1));
}

/** Spectra of the given peaks plus Gaussian noise (Philox stream (seed, i) for spectrum i). */
export function synthSpectra(x: Float64Array, truths: TruePeaks[], seed: number): SpectrumImage {
  const n = x.length;
  const data = new Float32Array(truths.length * n);
  truths.forEach((t, s) => {
    const r = new PhiloxStream(seed, s);
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let k = 0; k < t.a.length; k++) f += t.a[k]! * Math.exp(-0.5 * t.b[k]! * (x[i]! - t.mu[k]!) ** 2);
      data[s * n + i] = f + t.noise * r.normal();
    }
  });
  return {
    data,
    ny: 1,
    nx: truths.length,
    channels: n,
    energy: x,
    energyUnit: 'channel',
    layout: 'list',
    meta: { source: `synthetic (seed ${seed})` },
  };
}

/** Random peaks on x = 0..3: K peaks whose neighbours sit `sepFwhm` FWHM apart (±10 %), heights in
 * [1, 1.5], FWHM in [0.12, 0.2], noise = the smallest height / snr. */
export function randomPeaks(r: PhiloxStream, K: number, sepFwhm: number, snr: number): TruePeaks {
  const fwhm = Array.from({ length: K }, () => 0.12 + 0.08 * r.uniformDouble());
  const a = Array.from({ length: K }, () => 1 + 0.5 * r.uniformDouble());
  const mu: number[] = [];
  let pos = 0;
  for (let k = 0; k < K; k++) {
    if (k > 0) pos += sepFwhm * (0.9 + 0.2 * r.uniformDouble()) * 0.5 * (fwhm[k - 1]! + fwhm[k]!);
    mu.push(pos);
  }
  const shift = 1.5 - 0.5 * pos + 0.2 * (r.uniformDouble() - 0.5);
  const b = fwhm.map((w) => (fwhmOf(1) / w) ** 2);
  return { a, mu: mu.map((m) => m + shift), b, noise: Math.min(...a) / snr };
}
