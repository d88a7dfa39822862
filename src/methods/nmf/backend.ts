// What the shared NMF driver (driver.ts) asks of a backend: the CPU reference (cpu.ts) and the
// WebGPU path (gpu.ts) implement the same numeric steps; convergence, pruning, merging and restarts
// live once, in the driver.
import type { ResolvedNmf } from './model.js';

/** The data matrix X (pixels × channels, after masks and preprocessing) on one backend. */
export interface NmfBackend {
  readonly n: number;
  readonly m: number;
  /** XᵀX, m×m row-major. */
  gram(): Promise<Float64Array>;
  /** Column sums 1ᵀX (length m). */
  columnSums(): Promise<Float64Array>;
  /** X·V for V m×k (row-major); returns n×k. */
  project(V: Float64Array, k: number): Promise<Float64Array>;
  /** XᵀU for U n×l (row-major); returns m×l. */
  projectT(U: Float64Array, l: number): Promise<Float64Array>;
  /** Start a factorisation from W (n×k) and H (k×m). */
  start(s: ResolvedNmf, W: Float64Array, H: Float64Array, k: number): NmfState;
  dispose(): void;
}

/** One running factorisation. */
export interface NmfState {
  readonly k: number;
  /** Run `iters` iterations of the method (the GPU path encodes them; work runs when results are read;
   * minvol's k × k host steps make its GPU iterations asynchronous). */
  iterate(iters: number): void | Promise<void>;
  /** hals: Σ |projected gradient| over the W and H sweeps of the last iteration, scikit-learn's 'cd'
   * stopping quantity (the driver stops when it falls to tol × its first value). */
  violation?(): Promise<number>;
  /** A penalty added to the squared error in the loss and the convergence test (minvol's volume term). */
  penalty?(): Promise<number>;
  /** sklearn's error: ‖X − WH‖_F, or sqrt(2·KL(X‖WH)) for method kl. */
  error(): Promise<number>;
  /** The k×k Gram matrices WᵀW and HHᵀ (norms, cosines, orthogonality). */
  grams(): Promise<{ WtW: Float64Array; HHt: Float64Array }>;
  /** ‖w_t‖₁ and ‖h_t‖₁ per component (ARD relevance). */
  l1Norms(): Promise<{ w: Float64Array; h: Float64Array }>;
  /** Per-component L1 penalties added to the user's l1W/l1H (ARD). */
  setPenalties(l1W: Float64Array, l1H: Float64Array): void;
  read(): Promise<{ W: Float64Array; H: Float64Array }>;
  /** Per-pixel squared error (or KL divergence) of the current model. */
  rowErrors(): Promise<Float64Array>;
  dispose(): void;
}
