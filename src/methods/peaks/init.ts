// Starting parameters for every pixel: the user's values ('user'), or a multi-start EM fit of the
// mean spectrum ('mean'): start 0 takes the user's values where given and spreads the rest
// evenly over their bounds; the other starts draw positions uniformly within the bounds and
// widths log-uniformly (Philox4x32-10, keyed by the seed); the best log-likelihood wins, its
// peaks matched back to the requested ones by position (assign.ts).

import { PhiloxStream } from '../../random/index.js';
import { assignByPosition } from './assign.js';
import { fitSpectrum, makeAxis } from './em.js';
import { FWHM_PER_SIGMA, type MeanSpectrumFit, type PeakParams, type ResolvedPeaks } from './model.js';

/** Equal weight per position group and per background component; a group's share split by its ratios. */
function equalWeights(m: ResolvedPeaks): number[] {
  const G = m.groupBase.length;
  const share = 1 / (G + m.background.length);
  const R = new Array<number>(G).fill(0);
  m.group.forEach((g, k) => (R[g]! += m.ratio[k]!));
  return [...m.group.map((g, k) => (share * m.ratio[k]!) / R[g]!), ...m.background.map(() => share)];
}

/** Peak parameters from one position per group and one sigma per group. */
function expand(m: ResolvedPeaks, mu: number[], sigma: number[]): PeakParams {
  let s = sigma;
  if (m.sharedWidth) s = sigma.map(() => sigma[0]!);
  return {
    position: m.group.map((g, k) => mu[g]! + m.offset[k]!),
    sigma: m.group.map((g) => s[g]!),
    weight: equalWeights(m),
  };
}

function clampSigma(m: ResolvedPeaks, s: number): number {
  return Math.min(m.sigmaBounds[1], Math.max(m.sigmaBounds[0], s));
}

/** The deterministic start: user values where given, other positions spread evenly within their bounds. */
export function userStart(m: ResolvedPeaks): PeakParams {
  const G = m.groupBase.length;
  const L = m.window.hi - m.window.lo;
  const unset = m.groupBase.filter((k) => Number.isNaN(m.startPosition[k]!)).length;
  let j = 0;
  const mu = m.groupBase.map((k, g) => {
    if (!Number.isNaN(m.startPosition[k]!)) return m.startPosition[k]!;
    const [lo, hi] = m.groupBounds[g]!;
    return lo + (++j / (unset + 1)) * (hi - lo);
  });
  const sigma = m.groupBase.map((k) =>
    clampSigma(m, Number.isNaN(m.startFwhm[k]!) ? L / (8 * G) : m.startFwhm[k]! / FWHM_PER_SIGMA),
  );
  return expand(m, mu, sigma);
}

function randomStart(m: ResolvedPeaks, rng: PhiloxStream): PeakParams {
  const L = m.window.hi - m.window.lo;
  const sLo = clampSigma(m, 2 * m.window.minStep);
  const sHi = Math.max(sLo, clampSigma(m, L / 8));
  const mu = m.groupBase.map((k, g) => {
    if (m.groupFixed[g]) return m.startPosition[k]!;
    const [lo, hi] = m.groupBounds[g]!;
    return lo + rng.uniformDouble() * (hi - lo);
  });
  const sigma = m.groupBase.map(() => sLo * Math.exp(rng.uniformDouble() * Math.log(sHi / sLo)));
  return expand(m, mu, sigma);
}

/** Mean spectrum over the pixels with counts. */
export function meanSpectrum(data: Float32Array, totals: Float64Array, channels: number): Float64Array {
  const mean = new Float64Array(channels);
  let used = 0;
  for (let p = 0; p < totals.length; p++) {
    if (totals[p] === 0) continue;
    used++;
    for (let n = 0, o = p * channels; n < channels; n++) mean[n] += data[o + n]!;
  }
  if (used > 0) for (let n = 0; n < channels; n++) mean[n] /= used;
  return mean;
}

/** Multi-start EM fit of the mean spectrum (float64); the best start's parameters, its peaks in the
 * requested order (assignByPosition), seed the pixels. */
export function fitMeanSpectrum(m: ResolvedPeaks, energy: Float64Array, mean: Float64Array): MeanSpectrumFit {
  const axis = makeAxis(m, energy);
  const rng = new PhiloxStream(m.seed, 0x9ea);
  const startLoglik: number[] = [];
  let best: MeanSpectrumFit | null = null;
  for (let s = 0; s < m.starts; s++) {
    const start = s === 0 ? userStart(m) : randomStart(m, rng);
    const fit = fitSpectrum(m, axis, mean, start, Math.max(m.maxIterations, 2000));
    startLoglik.push(fit.loglik);
    if (Number.isFinite(fit.loglik) && (!best || fit.loglik > best.loglik))
      best = { ...fit, spectrum: mean, startLoglik };
  }
  if (!best) return { params: userStart(m), loglik: NaN, iterations: 0, converged: false, spectrum: mean, startLoglik };
  return { ...best, params: assignByPosition(m, best.params) };
}
