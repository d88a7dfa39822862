// Choosing k: the PCA scree of the (prepared) data — explained variance per component from the
// eigenvalues of the channel covariance, itself from the backend's Gram product XᵀX and column
// sums (on the GPU through the same atb kernel as NMF) — and the suggested k: the number of
// eigenvalues above the noise floor (the Marchenko–Pastur edge of the estimated noise variance
// with a Tracy–Widom margin); the largest log gap (elbow) is reported beside it.
import { InputError } from '../../engine/errors.js';
import type { NmfBackend } from './backend.js';
import { leadingEigen } from './linalg.js';

export interface ScreeResult {
  /** Explained variance ratio of components 1..L (descending). */
  explained: Float64Array;
  cumulative: Float64Array;
  /** Singular values of the centred data. */
  singularValues: Float64Array;
  /** Suggested k: the number of components above the noise floor (at least 1). */
  suggestedK: number;
  /** The estimated noise variance per channel and the eigenvalue threshold it implies (variance units). */
  noiseVariance: number;
  noiseFloor: number;
  /** Where the explained variance drops most on a log scale (a second opinion; not the suggestion). */
  elbow: number;
  totalVariance: number;
}

/** 99th percentile of the Tracy–Widom (β = 1) law: the margin above the edge for a 1 % false positive. */
const TW1_P99 = 2.02;

/**
 * Components above the noise floor. For n spectra of m channels with white noise of variance σ²,
 * the sample-covariance eigenvalues of pure noise end at the Marchenko–Pastur edge
 * σ²(1 + sqrt(m/(n−1)))²; at finite size the largest one fluctuates above it on the Tracy–Widom
 * scale (Johnstone 2001), so the floor is σ²/(n−1)·(μ + 2.02·s) with μ = (sqrt(n−1) + sqrt(m))²,
 * s = (sqrt(n−1) + sqrt(m))(1/sqrt(n−1) + 1/sqrt(m))^{1/3} (1 % of pure-noise data exceed it).
 * σ² is estimated from the variance the components above the floor leave, σ² = (trace − Σ_{j≤k} λ_j)/(m − k),
 * iterated with k until it settles (as Kritchman & Nadler's estimator, without its bias correction).
 * `values`: leading eigenvalues of the covariance, descending; `trace`: the sum of all m; n − 1 the
 * degrees of freedom (n for a second-moment matrix about zero: pass n + 1).
 */
export function noiseFloorCount(
  values: ArrayLike<number>,
  trace: number,
  n: number,
  m: number,
): { k: number; sigma2: number; floor: number } {
  const dof = Math.max(n - 1, 1);
  const root = Math.sqrt(dof) + Math.sqrt(m);
  const mu = root * root;
  const scale = root * Math.cbrt(1 / Math.sqrt(dof) + 1 / Math.sqrt(m));
  const L = values.length;
  let k = 0;
  let sigma2 = 0;
  let floor = 0;
  for (let round = 0; round <= L; round++) {
    let explained = 0;
    for (let j = 0; j < k; j++) explained += values[j]!;
    sigma2 = Math.max(trace - explained, 0) / Math.max(m - k, 1);
    floor = (sigma2 / dof) * (mu + TW1_P99 * scale);
    let next = 0;
    while (next < L && values[next]! > floor) next++;
    if (next === k) break;
    k = next;
  }
  return { k, sigma2, floor };
}

/** Suggested number of components from a decreasing explained-variance curve: the k with the
 * largest drop from component k to k + 1 on a log scale (the biggest gap between signal and noise
 * eigenvalues). Curves of fewer than 2 points give 1. */
export function elbowOf(y: ArrayLike<number>): number {
  let best = -Infinity;
  let at = 1;
  for (let k = 1; k < y.length; k++) {
    const drop = Math.log(Math.max(y[k - 1]!, 1e-300)) - Math.log(Math.max(y[k]!, 1e-300));
    if (drop > best) {
      best = drop;
      at = k;
    }
  }
  return at;
}

/**
 * Throw unless there are at least 2 spectra: the scree ranks directions of variance between
 * spectra, and one spectrum has none (its 'explained variance' would be all zeros, elbow 1).
 */
export function checkScreeInput(spectra: number, what: string, masked: boolean): void {
  if (spectra < 2) {
    throw new InputError(
      `${what}: a scree needs at least 2 spectra (it measures the variance between them), got ${spectra}${masked ? ' after the pixel mask' : ''}; ` +
        'one spectrum is one component',
    );
  }
}

export async function screeOf(backend: NmfBackend, components: number): Promise<ScreeResult> {
  const { n, m } = backend;
  const G = await backend.gram();
  const s = await backend.columnSums();
  const C = new Float64Array(m * m);
  let total = 0;
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) C[a * m + b] = (G[a * m + b]! - (s[a]! * s[b]!) / n) / Math.max(n - 1, 1);
  for (let a = 0; a < m; a++) total += Math.max(C[a * m + a]!, 0);
  const L = Math.min(components, m, n);
  const { values } = leadingEigen(C, m, L);
  const explained = values.map((v) => (total > 0 ? v / total : 0));
  const cumulative = new Float64Array(L);
  explained.reduce((acc, v, i) => (cumulative[i] = acc + v), 0);
  const singularValues = values.map((v) => Math.sqrt(v * Math.max(n - 1, 1)));
  // NMF's k is the rank of the uncentred data (centring removes one dimension from mixtures whose
  // abundances sum to one), so the noise floor is applied to the second-moment matrix XᵀX/n, whose
  // noise eigenvalues follow the same law (the noise has zero mean).
  const S = G.map((v) => v / n);
  let trace = 0;
  for (let a = 0; a < m; a++) trace += Math.max(S[a * m + a]!, 0);
  const noise = noiseFloorCount(leadingEigen(S, m, L).values, trace, n + 1, m);
  return {
    explained,
    cumulative,
    singularValues,
    suggestedK: Math.max(1, noise.k),
    noiseVariance: noise.sigma2,
    noiseFloor: noise.floor,
    elbow: elbowOf(explained),
    totalVariance: total,
  };
}
