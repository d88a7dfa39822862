// Choosing k: the PCA scree of the (prepared) data — explained variance per component from the
// eigenvalues of the channel covariance, itself from the backend's Gram product XᵀX and column
// sums (on the GPU through the same atb kernel as NMF) — with an elbow estimate.
import type { NmfBackend } from './backend.js';
import { leadingEigen } from './linalg.js';

export interface ScreeResult {
  /** Explained variance ratio of components 1..L (descending). */
  explained: Float64Array;
  cumulative: Float64Array;
  /** Singular values of the centred data. */
  singularValues: Float64Array;
  /** Suggested k: the elbow of the explained-variance curve (1-based). */
  elbow: number;
  totalVariance: number;
}

/** Elbow of a decreasing curve: the point farthest below the chord from the first to the last point
 * (the "kneedle" construction on the normalised curve). */
export function elbowOf(y: ArrayLike<number>): number {
  const L = y.length;
  if (L < 3) return 1;
  const y0 = y[0]!;
  const y1 = y[L - 1]!;
  const span = y0 - y1 || 1;
  let best = 0;
  let at = 0;
  for (let i = 0; i < L; i++) {
    const x = i / (L - 1);
    const yn = (y[i]! - y1) / span;
    const d = 1 - x - yn; // distance below the chord y = 1 − x
    if (d > best) {
      best = d;
      at = i;
    }
  }
  return at + 1;
}

export async function screeOf(backend: NmfBackend, components: number): Promise<ScreeResult> {
  const { n, m } = backend;
  const G = await backend.gram();
  const s = await backend.columnSums();
  const C = new Float64Array(m * m);
  let total = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) C[a * m + b] = (G[a * m + b]! - (s[a]! * s[b]!) / n) / Math.max(n - 1, 1);
  for (let a = 0; a < m; a++) total += Math.max(C[a * m + a]!, 0);
  const L = Math.min(components, m, n);
  const { values } = leadingEigen(C, m, L);
  const explained = values.map((v) => (total > 0 ? v / total : 0));
  const cumulative = new Float64Array(L);
  explained.reduce((acc, v, i) => (cumulative[i] = acc + v), 0);
  const singularValues = values.map((v) => Math.sqrt(v * Math.max(n - 1, 1)));
  return { explained, cumulative, singularValues, elbow: elbowOf(explained), totalVariance: total };
}
