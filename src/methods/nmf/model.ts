// NMF options, their defaults and validation, and the result type.
// X (pixels × channels) ≈ W H: W the loadings (maps, pixels × k), H the factors (spectra, k × channels).
import { InputError, type Progress } from '../../engine/index.js';
import type { NamedMap } from '../../data/types.js';

export const NMF_METHODS = ['mu', 'kl', 'hals', 'so', 'ard', 'onmf', 'semi', 'minvol'] as const;
export type NmfMethod = (typeof NMF_METHODS)[number];
export const NMF_INITS = ['nndsvd', 'nndsvda', 'random'] as const;
export type NmfInit = (typeof NMF_INITS)[number];
/** Negative values for a non-negative method: refused, set to 0, or the matrix raised by −min. */
export const NMF_NEGATIVE = ['error', 'clip', 'shift'] as const;
export type NmfNegative = (typeof NMF_NEGATIVE)[number];

/** Reference spectrum subtracted from every pixel: the mean spectrum, a given spectrum, or the
 * mean spectrum of a region (a pixel mask, non-zero = in the region). */
export type NmfReference = 'mean' | { spectrum: ArrayLike<number> } | { region: ArrayLike<number> };

export interface NmfOptions {
  /** Number of components. */
  k: number;
  /** hals (default, as sklearn's default solver 'cd'): coordinate descent, Frobenius; mu:
   * multiplicative updates, Frobenius (Lee & Seung; sklearn solver 'mu'; from the NNDSVDa start its
   * sklearn stopping rule can fire early, see docs/nmf.md); kl: MU for the Kullback–Leibler divergence; so: HALS with soft
   * orthogonality of the maps (NMF-SO, Shiga 2016); ard: NMF-SO plus automatic relevance determination
   * (prunes irrelevant components, merges near-identical spectra); onmf: one-sided orthogonal NMF
   * (Choi 2008, orthogonal spectra); semi: semi-NMF (maps ≥ 0, spectra free) for difference data;
   * minvol: minimum-volume NMF (log-det volume penalty on the spectra, Leplat, Gillis & Ang) for
   * strongly overlapping spectra such as XANES mixtures. */
  method?: NmfMethod;
  /** Iteration cap (default 200, as sklearn). */
  maxIter?: number;
  /** Stop when (err_prev − err) / err_init < tol, checked every 10 iterations (default 1e-4, as sklearn). */
  tol?: number;
  /** Initialisation (default 'nndsvda': NNDSVD with zeros filled by mean(X), which MU can revive). */
  init?: NmfInit;
  /** Seed of the random initialisation and of restarts (default 0). */
  seed?: number;
  /** Runs from different starts, keeping the lowest final error (default 1). The first run uses
   * `init`; the others use random starts with seeds seed+1, seed+2, ... */
  restarts?: number;
  /** L1 penalty l1W·Σ W (sparse maps) and l1H·Σ H (sparse spectra), in the units of ½‖X − WH‖². */
  l1W?: number;
  l1H?: number;
  /** Soft-orthogonality weight of the maps for so/ard (default 0.1, Shiga et al.). */
  wo?: number;
  /** minvol: weight λ̃ of the volume penalty relative to the start's squared error (default 0.003). */
  minvolLambda?: number;
  /** minvol: δ of log det(HHᵀ + δI), relative to the mean squared norm of the spectra (default 0.01). */
  minvolDelta?: number;
  /** minvol: abundances summing to one in every pixel (MCR-ALS's closure, as a penalty; default false). */
  closure?: boolean;
  /** so/ard/onmf: drop components whose share ‖w_t‖‖h_t‖ / Σ‖w‖‖h‖ falls below this (default 0.01). */
  pruneShare?: number;
  /** so/ard/onmf: merge components whose spectra have cosine similarity ≥ this (default 0.99). */
  mergeCosine?: number;
  /** Preprocessing: divide X_ij by sqrt(row sum_i)·sqrt(col sum_j) (Keenan & Kotula), undone on the result. */
  poisson?: boolean;
  /** Negative values with a non-negative method (after any reference subtraction): 'error' (default)
   * refuses them, 'clip' sets them to 0, 'shift' adds −min to every value. The result's `negative`
   * says how many values changed. */
  negative?: NmfNegative;
  /** Preprocessing: subtract a reference spectrum (the result is difference data: use method 'semi'). */
  reference?: NmfReference;
  /** Pixels to fit (length pixels, non-zero = use); others get NaN loadings and residual. */
  pixelMask?: ArrayLike<number>;
  /** Channels to fit (length channels, non-zero = use); others get NaN in the factors. */
  channelMask?: ArrayLike<number>;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface NmfSettings {
  k: number;
  method: NmfMethod;
  maxIter: number;
  tol: number;
  init: NmfInit;
  seed: number;
  restarts: number;
  l1W: number;
  l1H: number;
  wo: number;
  pruneShare: number;
  mergeCosine: number;
  minvolLambda: number;
  minvolDelta: number;
  closure: boolean;
}

export interface NmfResult {
  /** Component spectra, k × channels. */
  factors: NamedMap;
  /** Abundance maps, k × ny × nx. */
  loadings: NamedMap;
  /** Per-pixel residual: ‖x_p − (WH)_p‖ (Frobenius methods) or the KL divergence of pixel p; ny × nx. */
  residual: NamedMap;
  /** sklearn's reconstruction error (‖X − WH‖_F, or sqrt(2·KL)) at iteration 0, 10, 20, ... */
  loss: Float64Array;
  lossIterations: Int32Array;
  iterations: number;
  converged: boolean;
  /** Components kept (k minus pruned and merged ones). */
  k: number;
  /** ‖X − WH‖_F / ‖X‖_F on the fitted (preprocessed) data. */
  relativeError: number;
  /** Largest off-diagonal cosine similarity between maps and between spectra (0 = orthogonal). */
  orthogonality: { loadings: number; factors: number };
  /** The subtracted reference spectrum, when one was used. */
  reference?: Float32Array;
  /** What `negative` 'clip' or 'shift' changed, when there were negative values. */
  negative?: { mode: 'clip' | 'shift'; negatives: number; changed: number; shift: number };
  method: NmfMethod;
  backend: 'webgpu' | 'cpu';
  /** The final error of each restart (the result is the lowest). */
  restartErrors: number[];
  /** Wall time (s) of the starts (SVD for NNDSVD, all restarts) and of the winning run's iterations. */
  seconds: { init: number; iterations: number };
}

/** The method when none is given: HALS, as scikit-learn's default solver 'cd'. */
export const NMF_DEFAULT_METHOD: NmfMethod = 'hals';
const DEFAULTS = {
  method: NMF_DEFAULT_METHOD,
  maxIter: 200,
  tol: 1e-4,
  init: 'nndsvda',
  seed: 0,
  restarts: 1,
  l1W: 0,
  l1H: 0,
  pruneShare: 0.01,
  mergeCosine: 0.99,
  minvolLambda: 0.003,
  minvolDelta: 0.01,
} as const;

function num(name: string, v: unknown, ok: (x: number) => boolean, rule: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
    throw new InputError(`nmf option ${name} must be ${rule}, got ${String(v)}`);
  return v;
}

/** Validate options against the data size and fill in defaults. */
export function nmfSettings(o: NmfOptions, pixels: number, channels: number): NmfSettings {
  const method = o.method ?? DEFAULTS.method;
  if (!NMF_METHODS.includes(method))
    throw new InputError(`nmf option method must be one of ${NMF_METHODS.join(', ')}, got '${String(method)}'`);
  const init = o.init ?? DEFAULTS.init;
  if (!NMF_INITS.includes(init))
    throw new InputError(`nmf option init must be one of ${NMF_INITS.join(', ')}, got '${String(init)}'`);
  const k = num('k', o.k, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
  const limit = Math.min(pixels, channels);
  if (k > limit)
    throw new InputError(`nmf: k = ${k} is larger than min(pixels, channels) = min(${pixels}, ${channels}) = ${limit}`);
  if (k > 64) throw new InputError(`nmf: k = ${k} is more components than this implementation supports (64)`);
  const so = method === 'so' || method === 'ard';
  return {
    k,
    method,
    init,
    maxIter: num('maxIter', o.maxIter ?? DEFAULTS.maxIter, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1'),
    tol: num('tol', o.tol ?? DEFAULTS.tol, (x) => x >= 0, 'a number >= 0'),
    seed: num(
      'seed',
      o.seed ?? DEFAULTS.seed,
      (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32 - 64,
      'an integer in [0, 2^32 - 64)',
    ),
    restarts: num(
      'restarts',
      o.restarts ?? DEFAULTS.restarts,
      (x) => Number.isInteger(x) && x >= 1 && x <= 64,
      'an integer in [1, 64]',
    ),
    l1W: num('l1W', o.l1W ?? DEFAULTS.l1W, (x) => x >= 0, 'a number >= 0'),
    l1H: num('l1H', o.l1H ?? DEFAULTS.l1H, (x) => x >= 0, 'a number >= 0'),
    wo: num('wo', o.wo ?? (so ? 0.1 : 0), (x) => x >= 0, 'a number >= 0'),
    pruneShare: num('pruneShare', o.pruneShare ?? DEFAULTS.pruneShare, (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
    mergeCosine: num(
      'mergeCosine',
      o.mergeCosine ?? DEFAULTS.mergeCosine,
      (x) => x > 0 && x <= 1,
      'a number in (0, 1]',
    ),
    minvolLambda: num('minvolLambda', o.minvolLambda ?? DEFAULTS.minvolLambda, (x) => x >= 0, 'a number >= 0'),
    minvolDelta: num('minvolDelta', o.minvolDelta ?? DEFAULTS.minvolDelta, (x) => x > 0, 'a number > 0'),
    closure: closureOf(o.closure),
  };
}

function closureOf(v: unknown): boolean {
  if (v === undefined || typeof v === 'boolean') return v === true;
  throw new InputError(`nmf option closure must be true or false, got ${String(v)}`);
}

/** Methods that need X ≥ 0. */
export function needsNonNegative(method: NmfMethod): boolean {
  return method !== 'semi';
}

/** Methods whose loss is the generalised KL divergence (others: Frobenius). */
export function usesKl(method: NmfMethod): boolean {
  return method === 'kl';
}

/** Methods that prune and merge components at every convergence check. */
export function prunes(method: NmfMethod): boolean {
  return method === 'so' || method === 'ard' || method === 'onmf';
}
