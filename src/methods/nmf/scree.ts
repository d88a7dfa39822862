// Choosing k: the PCA scree of the (prepared) data — explained variance per component from the
// eigenvalues of the channel covariance, itself from the backend's Gram product XᵀX and column
// sums (on the GPU through the same atb kernel as NMF) — with an elbow estimate (largest log gap).
import { InputError } from '../../engine/errors.js';
import type { NmfBackend } from './backend.js';
import { leadingEigen } from './linalg.js';

export interface ScreeResult {
  /** Explained variance ratio of components 1..L (descending). */
  explained: Float64Array;
  cumulative: Float64Array;
  /** Singular values of the centred data. */
  singularValues: Float64Array;
  /** Suggested k: where the explained variance drops most, on a log scale. */
  elbow: number;
  totalVariance: number;
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
  return { explained, cumulative, singularValues, elbow: elbowOf(explained), totalVariance: total };
}
