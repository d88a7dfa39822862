// Truncated SVD by a randomized range finder (Halko, Martinsson & Tropp, SIAM Review 53, 217
// (2011), Algorithm 4.4: power iterations with re-orthonormalisation), the way scikit-learn's
// NNDSVD start gets its SVD (randomized_svd). X is touched only through the backend's products
// X·V and XᵀU with l = k + oversampling columns, (2q + 2) passes in all: n·m·l·(2q + 2) work
// instead of the Gram matrix's n·m² (and no m×m eigenproblem), which is what keeps the start
// cheap for long spectra (EELS, XRF: thousands of channels). The small dense algebra runs on the
// host in float64.
import { PhiloxStream } from '../../random/index.js';
import type { TruncatedSvd } from './init.js';
import { leadingEigen } from './linalg.js';

/** The two products the range finder needs from a backend. */
export interface RangeProducts {
  /** X·V for V m×l (row-major); returns n×l. */
  project(V: Float64Array, l: number): Promise<Float64Array>;
  /** XᵀU for U n×l (row-major); returns m×l. */
  projectT(U: Float64Array, l: number): Promise<Float64Array>;
}

export interface RandomizedSvdOptions {
  /** Extra columns beyond k (default 10, as sklearn). */
  oversample?: number;
  /** Power iterations q (default 4). */
  power?: number;
  /** Seed of the Gaussian test matrix (Philox). */
  seed?: number;
}

export const RANDOMIZED_DEFAULTS = { oversample: 10, power: 4 } as const;

/** The range finder's columns for rank k of an n×m matrix. */
export function rangeColumns(
  n: number,
  m: number,
  k: number,
  oversample: number = RANDOMIZED_DEFAULTS.oversample,
): number {
  return Math.min(k + oversample, m, n);
}

/** True where the range finder costs fewer multiply-adds than the Gram matrix XᵀX: (2q + 2)·l < m. */
export function randomizedIsCheaper(n: number, m: number, k: number, o: RandomizedSvdOptions = {}): boolean {
  const l = rangeColumns(n, m, k, o.oversample);
  return 2 * ((o.power ?? RANDOMIZED_DEFAULTS.power) + 1) * l < m;
}

/**
 * Orthonormalise the columns of A (rows × l, row-major) in place: classical Gram–Schmidt applied
 * twice ("twice is enough", Giraud et al. 2005). A column left with less than 1e-12 of its norm (a
 * rank-deficient range) becomes zero and drops out of later steps.
 */
export function orthonormalise(A: Float64Array, rows: number, l: number): Float64Array {
  const dots = new Float64Array(l);
  for (let j = 0; j < l; j++) {
    let before = 0;
    for (let i = 0; i < rows; i++) before += A[i * l + j]! ** 2;
    for (let pass = 0; pass < 2; pass++) {
      dots.fill(0);
      for (let i = 0; i < rows; i++) {
        const a = A[i * l + j]!;
        for (let p = 0; p < j; p++) dots[p] += A[i * l + p]! * a;
      }
      for (let i = 0; i < rows; i++) {
        let a = A[i * l + j]!;
        for (let p = 0; p < j; p++) a -= dots[p]! * A[i * l + p]!;
        A[i * l + j] = a;
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += A[i * l + j]! ** 2;
    const scale = norm > 1e-24 * before && norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < rows; i++) A[i * l + j] = A[i * l + j]! * scale;
  }
  return A;
}

/** The leading k singular triplets of the n×m matrix behind `x`. */
export async function randomizedSvd(
  x: RangeProducts,
  n: number,
  m: number,
  k: number,
  o: RandomizedSvdOptions = {},
): Promise<TruncatedSvd> {
  const l = rangeColumns(n, m, k, o.oversample);
  const power = o.power ?? RANDOMIZED_DEFAULTS.power;
  const rng = new PhiloxStream(o.seed ?? 0, 0x5d);
  const omega = Float64Array.from({ length: m * l }, () => rng.normal());
  let Q = orthonormalise(await x.project(omega, l), n, l);
  for (let q = 0; q < power; q++) {
    const Z = orthonormalise(await x.projectT(Q, l), m, l);
    Q = orthonormalise(await x.project(Z, l), n, l);
  }
  // B = Qᵀ X (l×m) is Zᵀ with Z = XᵀQ; B Bᵀ = ZᵀZ = Ub diag(s²) Ubᵀ, so U = Q Ub and V = Z Ub / s.
  const Z = await x.projectT(Q, l);
  const G = new Float64Array(l * l);
  for (let c = 0; c < m; c++) {
    for (let a = 0; a < l; a++) {
      const za = Z[c * l + a]!;
      for (let b = 0; b < l; b++) G[a * l + b] += za * Z[c * l + b]!;
    }
  }
  const e = leadingEigen(G, l, l, k);
  const L = e.values.length;
  const S = Float64Array.from({ length: k }, (_, j) => Math.sqrt(Math.max(0, e.values[j]!)));
  const U = new Float64Array(n * k);
  const V = new Float64Array(m * k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += Q[i * l + a]! * e.vectors[a * L + j]!;
      U[i * k + j] = s;
    }
    if (!(S[j]! > 0)) continue;
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += Z[c * l + a]! * e.vectors[a * L + j]!;
      V[c * k + j] = s / S[j]!;
    }
  }
  return { U, S, V, k };
}
