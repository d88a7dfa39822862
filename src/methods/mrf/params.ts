// Class parameters from class statistics (the M-step of stochastic EM and the k-means update),
// in float64 on the host. Statistics are taken around the previous means c_k, so
//   mu_k = c_k + Σ(y - c_k)/n_k,  Σ||y - mu_k||^2 = Σ||y - c_k||^2 - n_k ||mu_k - c_k||^2
// is exact and free of the cancellation of Σ||y||^2 - n||mu||^2 in float32 partial sums.
import type { ClassStats } from './backend.js';
import { statsLayout } from './backend.js';

export interface ClassParams {
  means: Float64Array;
  variances: Float64Array;
  sizes: number[];
  /** Σ over classes of Σ||y - c_k||^2: the k-means inertia w.r.t. the centres used. */
  inertiaAroundCentres: number;
}

/**
 * New means and isotropic variances from `stats` taken around `centres`. A class left empty
 * keeps its previous mean and variance; variances are floored at `varFloor` (a fraction of
 * the data's variance, so a class of identical pixels cannot make the likelihood infinite).
 */
export function paramsFromStats(
  stats: ClassStats,
  centres: Float64Array,
  prevVariances: Float64Array | null,
  k: number,
  d: number,
  varFloor: number,
): ClassParams {
  const L = statsLayout(k, d);
  const means = new Float64Array(k * d);
  const variances = new Float64Array(k);
  const sizes: number[] = [];
  let inertia = 0;
  for (let c = 0; c < k; c++) {
    const o = c * L.stride;
    const n = stats[o]!;
    sizes.push(n);
    inertia += stats[o + 1 + d]!;
    if (n === 0) {
      for (let j = 0; j < d; j++) means[c * d + j] = centres[c * d + j]!;
      variances[c] = prevVariances ? prevVariances[c]! : varFloor;
      continue;
    }
    let shift2 = 0;
    for (let j = 0; j < d; j++) {
      const shift = stats[o + 1 + j]! / n;
      means[c * d + j] = centres[c * d + j]! + shift;
      shift2 += shift * shift;
    }
    const ss = Math.max(0, stats[o + 1 + d]! - n * shift2);
    variances[c] = Math.max(varFloor, ss / (n * d));
  }
  return { means, variances, sizes, inertiaAroundCentres: inertia };
}

/** log p(z, y | theta, beta) up to constants: Σ_i log N(y_i; z_i) + beta · #like edges. */
export function logPosterior(stats: ClassStats, k: number, d: number, beta: number): number {
  const L = statsLayout(k, d);
  return stats[L.loglik]! + beta * stats[L.likeEdges]!;
}

/** Per-channel variance of the data (of the pixels with valid[p] = 1 when given), averaged over channels (float64).
 *  Two passes in pixel order with one accumulator per channel (each channel's sums in the same order as a per-channel loop). */
export function meanChannelVariance(
  data: Float32Array,
  npix: number,
  d: number,
  valid: Uint8Array | null = null,
): number {
  const use = (p: number) => !valid || valid[p] === 1;
  let n = 0;
  const mean = new Float64Array(d);
  for (let p = 0; p < npix; p++) {
    if (!use(p)) continue;
    n++;
    for (let j = 0, o = p * d; j < d; j++) mean[j]! += data[o + j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const ss = new Float64Array(d);
  for (let p = 0; p < npix; p++) {
    if (!use(p)) continue;
    for (let j = 0, o = p * d; j < d; j++) ss[j]! += (data[o + j]! - mean[j]!) ** 2;
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += ss[j]! / n;
  return total / d;
}
