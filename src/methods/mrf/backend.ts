// What the Potts-MRF driver (run.ts, kmeans.ts, potts.ts) asks of a compute backend. The
// WebGPU backend (gpu.ts) and the float64 reference (cpu.ts) implement the same operations with
// the same random counters, so their chains differ only where float32 and float64 differ.
// A backend made with a pixel mask keeps label K (no class) at the pixels it leaves out, in
// labels() too: they are not assigned, swept, counted or summed, and are absent as neighbours.

/** A block of Gibbs sweeps. Sweep s draws pixel p's uniform from Philox counter (p, s, 0, 0). */
export interface SweepPlan {
  /** Global index of the first sweep (the Philox counter's second word). */
  from: number;
  count: number;
  beta: number;
  /** Sweeps s >= countFrom add one to counts[p, z_p] after updating pixel p. */
  countFrom: number;
  /** Temperature 1 before annealStart; from there T(s) = max(tMin, exp(-decay (s - annealStart + 1))). */
  annealStart: number;
  decay: number;
  tMin: number;
}

export const NO_ANNEAL = { annealStart: 0xffffffff, decay: 0, tMin: 1 };
export const NO_COUNTS = 0xffffffff;

/** Temperature of sweep s under the plan (the kernel computes the same in f32). */
export function temperature(plan: Pick<SweepPlan, 'annealStart' | 'decay' | 'tMin'>, s: number): number {
  return s < plan.annealStart ? 1 : Math.max(plan.tMin, Math.exp(-plan.decay * (s - plan.annealStart + 1)));
}

/**
 * Class statistics around centres c_k for the current labels, reduced in float64:
 * for class k at offset k·(D+2): [n_k, Σ (y_i - c_k) (D values), Σ ||y_i - c_k||^2];
 * then Σ_i loglik[i, z_i] and the number of like-labelled edges.
 */
export type ClassStats = Float64Array;

/**
 * What a backend is made for. 'mrf': everything the Potts-MRF driver uses. 'kmeans': only what
 * Lloyd iterations use (assignNearest, stats(centres, true), setLabels, labels): the per-pixel
 * log-likelihood table, likelihood weights and label counts are not allocated, and the methods
 * that need them throw (sweepsOnly).
 */
export type BackendPurpose = 'mrf' | 'kmeans';

/** Throws a plain Error (a programming error, not bad input) when a k-means-only backend is asked for `what`. */
export function sweepsOnly(purpose: BackendPurpose, what: string): void {
  if (purpose === 'kmeans')
    throw new Error(
      `mrf backend: ${what} needs the Gibbs sweep buffers, but this backend was made for k-means only (purpose 'kmeans'); make it with purpose 'mrf'`,
    );
}

export interface MrfBackend {
  readonly purpose: BackendPurpose;
  readonly npix: number;
  readonly k: number;
  readonly d: number;
  /** Gaussian class log-likelihood table from means [K·D] and variances [K]. */
  setClassParams(means: Float64Array, variances: Float64Array): void;
  /** All class log-likelihoods 0: the sampler then draws from the Potts prior alone. */
  setZeroDataTerm(): void;
  /** labels = nearest mean (k-means assignment; ties to the lower class); masked pixels keep K. */
  assignNearest(means: Float64Array): void;
  /** Masked pixels get K whatever `labels` holds there. */
  setLabels(labels: Uint32Array): void;
  sweeps(plan: SweepPlan): void;
  /** Class statistics around `centres`; with `classesOnly` the loglik and like-edge entries are
   *  left 0 (k-means needs only the class counts and sums, and the GPU then skips a pass). A
   *  k-means-only backend takes only `classesOnly`. */
  stats(centres: Float64Array, classesOnly?: boolean): Promise<ClassStats>;
  labels(): Promise<Uint32Array>;
  /** counts[p·K + k]: sweeps in which pixel p drew label k (since the last reset). */
  counts(): Promise<Uint32Array>;
  resetCounts(): void;
  dispose(): void;
}

/** Largest beta · neighbours for which sweeps at T = 1 weigh classes by products (below). */
export const PRODUCT_WEIGHT_LIMIT = 64;

/**
 * Sweeps at T = 1 weigh class k of pixel p by lik[p, k] · e1^n_k, lik[p, k] = exp(loglik[p, k] -
 * max_c loglik[p, c]) tabulated once per parameter update and e1 = exp(beta): the same
 * p(z_p = k) ∝ exp(loglik + beta · n_k) without an exp per class and update. Returns e1, or 0
 * (weigh by exp) when beta · neighbours > PRODUCT_WEIGHT_LIMIT: e1^n then stays far from float32
 * overflow, and a class whose lik underflows (loglik 87 below the best) would weigh at most
 * e^(64 - 87) ≈ 1e-10 relative to the best, below the 2^-24 resolution of the uniform.
 */
export function likeFactor(beta: number, neighbours: number): number {
  return beta * neighbours <= PRODUCT_WEIGHT_LIMIT ? Math.exp(beta) : 0;
}

/** Offsets into ClassStats. */
export function statsLayout(k: number, d: number) {
  return { stride: d + 2, loglik: k * (d + 2), likeEdges: k * (d + 2) + 1, length: k * (d + 2) + 2 };
}
