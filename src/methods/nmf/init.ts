// Starting points: NNDSVD / NNDSVDa (Boutsidis & Gallopoulos 2008, as sklearn) from the truncated
// SVD of X, and seeded random starts (sklearn's scale sqrt(mean(X)/k)). Host code, float64; the SVD
// comes from the backend's channel Gram matrix XᵀX and projection X·V.
import { PhiloxStream } from '../../random/index.js';
import { leadingEigen } from './linalg.js';

/** Truncated SVD X ≈ U diag(S) Vᵀ: U n×k, S k, V m×k (row-major). */
export interface TruncatedSvd {
  U: Float64Array;
  S: Float64Array;
  V: Float64Array;
  k: number;
}

/** The SVD of X from its Gram matrix G = XᵀX (m×m) and a projection callback computing X·V. */
export async function svdFromGram(
  G: Float64Array,
  m: number,
  k: number,
  project: (V: Float64Array, k: number) => Promise<Float64Array>,
  n: number,
): Promise<TruncatedSvd> {
  const e = leadingEigen(G, m, Math.min(m, k + 10), k);
  const V = new Float64Array(m * k);
  for (let r = 0; r < m; r++) for (let j = 0; j < k; j++) V[r * k + j] = e.vectors[r * e.values.length + j]!;
  const S = Float64Array.from({ length: k }, (_, j) => Math.sqrt(e.values[j]!));
  const XV = await project(V, k);
  const U = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) U[i * k + j] = S[j]! > 0 ? XV[i * k + j]! / S[j]! : 0;
  return { U, S, V, k };
}

const EPS = 1e-6;

/** NNDSVD (or NNDSVDa: zeros filled with `fill`, sklearn uses mean(X)). Returns W n×k and H k×m. */
export function nndsvd(
  svd: TruncatedSvd,
  n: number,
  m: number,
  fill: number | null,
): { W: Float64Array; H: Float64Array } {
  const { U, S, V, k } = svd;
  const W = new Float64Array(n * k);
  const H = new Float64Array(k * m);
  // sklearn flips signs so that the largest |u| entry is positive (svd_flip); the first component
  // is taken in absolute value anyway, the others split into positive and negative parts.
  for (let j = 0; j < k; j++) {
    let pn = 0;
    let nn = 0;
    let pv = 0;
    let nv = 0;
    for (let i = 0; i < n; i++) {
      const x = U[i * k + j]!;
      if (x > 0) pn += x * x;
      else nn += x * x;
    }
    for (let c = 0; c < m; c++) {
      const y = V[c * k + j]!;
      if (y > 0) pv += y * y;
      else nv += y * y;
    }
    let sign = 1;
    let sigma: number;
    if (j === 0) {
      sigma = 1;
    } else {
      const mp = Math.sqrt(pn) * Math.sqrt(pv);
      const mn = Math.sqrt(nn) * Math.sqrt(nv);
      sign = mp >= mn ? 1 : -1;
      sigma = Math.max(mp, mn);
    }
    const un = j === 0 ? 1 : Math.sqrt(sign > 0 ? pn : nn);
    const vn = j === 0 ? 1 : Math.sqrt(sign > 0 ? pv : nv);
    const lbd = Math.sqrt(S[j]! * sigma);
    if (!(un > 0 && vn > 0 && lbd > 0)) continue;
    for (let i = 0; i < n; i++) {
      const x = U[i * k + j]! * sign;
      W[i * k + j] = j === 0 ? lbd * Math.abs(x) : x > 0 ? (lbd * x) / un : 0;
    }
    for (let c = 0; c < m; c++) {
      const y = V[c * k + j]! * sign;
      H[j * m + c] = j === 0 ? lbd * Math.abs(y) : y > 0 ? (lbd * y) / vn : 0;
    }
  }
  for (const A of [W, H]) for (let i = 0; i < A.length; i++) if (A[i]! < EPS) A[i] = fill ?? 0;
  return { W, H };
}

/** sklearn's random start: |N(0,1)| · sqrt(mean(X)/k), W from stream 0 and H from stream 1 of `seed`. */
export function randomStart(
  n: number,
  m: number,
  k: number,
  meanX: number,
  seed: number,
): { W: Float64Array; H: Float64Array } {
  const scale = Math.sqrt(Math.abs(meanX) / k) || 1;
  const sw = new PhiloxStream(seed, 0);
  const sh = new PhiloxStream(seed, 1);
  const W = Float64Array.from({ length: n * k }, () => scale * Math.abs(sw.normal()));
  const H = Float64Array.from({ length: k * m }, () => scale * Math.abs(sh.normal()));
  return { W, H };
}
