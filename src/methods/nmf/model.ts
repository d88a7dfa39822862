// NMF options, their defaults and validation, and the result type.
// X (pixels × channels) ≈ W H: W the loadings (maps, pixels × k), H the factors (spectra, k × channels).
import { InputError } from '../../engine/index.js';
import { optionValue, type OptionTable } from '../option-table.js';
import type { GpuNmfOptions } from './gpu.js';
import type { MethodTiming } from '../contract.js';
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
   * sklearn stopping rule can fire early, see docs/nmf.md); kl: MU for the Kullback–Leibler divergence;
   * so: HALS with soft
   * orthogonality of the maps (NMF-SO, Shiga 2016); ard: NMF-SO plus automatic relevance determination
   * (prunes irrelevant components, merges near-identical spectra); onmf: one-sided orthogonal NMF
   * (Choi 2008, orthogonal spectra); semi: semi-NMF (maps ≥ 0, spectra free) for difference data;
   * minvol: minimum-volume NMF (log-det volume penalty on the spectra, Leplat, Gillis & Ang) for
   * strongly overlapping spectra such as XANES mixtures. */
  method?: NmfMethod;
  /** Iteration cap (default 200, as sklearn). */
  maxIterations?: number;
  /** Convergence tolerance (default 1e-4, as sklearn). hals: stop after the first iteration whose
   * projected-gradient violation is at most tol × the first iteration's (sklearn's 'cd'); the others:
   * stop when (err_prev − err) / err_init < tol, checked every 10 iterations (sklearn's 'mu'). */
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
  /** GPU chunking and reduction knobs, for tests of the GPU backend (default: what the device allows). */
  gpu?: GpuNmfOptions;
}

export interface ResolvedNmf {
  k: number;
  method: NmfMethod;
  maxIterations: number;
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
  /** Abundance maps per pixel, ny × nx × k (W as computed; `componentMaps` turns them k × ny × nx). */
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
  /** Wall time (ms) of the starts (SVD for NNDSVD, all restarts), of the winning run's iterations, and
   * of the whole call (the engine's opening aside). */
  timing: MethodTiming;
  /** What the data or options make doubtful about the result, one line each (none yet for NMF). */
  warnings: string[];
}

/** The method when none is given: HALS, as scikit-learn's default solver 'cd'. */
export const NMF_DEFAULT_METHOD: NmfMethod = 'hals';

/** Every option of nmf: type, bounds, default, CLI flag and help (the CLI is made from it). */
export const NMF_OPTIONS = {
  k: {
    kind: 'integer',
    min: 1,
    max: 64,
    flag: 'k',
    short: 'k',
    meta: 'N',
    help: 'number of components (use `specmap scree FILE` to choose)',
  },
  method: {
    kind: 'choice',
    choices: NMF_METHODS,
    default: NMF_DEFAULT_METHOD,
    flag: 'method',
    meta: 'M',
    help:
      "hals (coordinate descent, Frobenius; default, as scikit-learn's 'cd'), mu (multiplicative updates, " +
      'Frobenius), kl (MU, Kullback-Leibler), so (HALS + soft orthogonality of the maps, NMF-SO), ard (NMF-SO + ' +
      'relevance pruning), onmf (orthogonal spectra), semi (semi-NMF: maps >= 0, spectra free; for difference ' +
      'data); so, ard and onmf drop components under 1 % of the total and merge spectra with cosine >= 0.99, ' +
      'so they may return fewer than N; minvol (minimum-volume NMF: HALS with a log-det volume penalty on the ' +
      'spectra, for strongly overlapping spectra such as XANES mixtures)',
    defaultText: '',
  },
  init: { kind: 'choice', choices: NMF_INITS, default: 'nndsvda', flag: 'init', meta: 'I', help: 'the start' },
  restarts: {
    kind: 'integer',
    min: 1,
    max: 64,
    default: 1,
    flag: 'restarts',
    meta: 'R',
    help: 'runs from different starts, keeping the best (starts after the first are random)',
  },
  seed: {
    kind: 'integer',
    min: 0,
    max: 2 ** 32 - 64,
    exclusiveMax: true,
    default: 0,
    flag: 'seed',
    meta: 'S',
    help: 'seed of random starts',
  },
  maxIterations: { kind: 'integer', min: 1, default: 200, flag: 'max-iter', meta: 'N', help: 'iteration cap' },
  tol: {
    kind: 'number',
    min: 0,
    default: 1e-4,
    flag: 'tol',
    meta: 'T',
    help:
      "convergence tolerance: hals stops when the projected gradient falls to tol × its first value (scikit-learn's " +
      "'cd' rule); the others test the relative decrease of the error every 10 iterations",
  },
  l1W: {
    kind: 'number',
    min: 0,
    default: 0,
    flag: 'l1-maps',
    meta: 'A',
    help: 'L1 penalty on the maps (sparse loadings)',
  },
  l1H: { kind: 'number', min: 0, default: 0, flag: 'l1-spectra', meta: 'A', help: 'L1 penalty on the spectra' },
  wo: {
    kind: 'number',
    min: 0,
    flag: 'wo',
    meta: 'W',
    defaultText: '0.1 for so/ard, else 0',
    help: 'soft-orthogonality weight of the maps',
  },
  minvolLambda: {
    kind: 'number',
    min: 0,
    default: 0.003,
    flag: 'minvol-lambda',
    meta: 'L',
    help: "minvol: volume weight relative to the start's squared error",
  },
  minvolDelta: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    default: 0.01,
    flag: 'minvol-delta',
    meta: 'D',
    help: "minvol: delta of log det(HH' + delta I), relative to the mean squared norm of the spectra",
  },
  closure: {
    kind: 'boolean',
    default: false,
    flag: 'closure',
    help: 'minvol: abundances sum to one in every pixel (MCR-ALS closure; for normalised absorption data)',
  },
  pruneShare: {
    kind: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    default: 0.01,
    help: 'so/ard/onmf: drop components whose share of the total falls below this',
  },
  mergeCosine: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    max: 1,
    default: 0.99,
    help: 'so/ard/onmf: merge components whose spectra have at least this cosine similarity',
  },
  reference: {
    kind: 'text',
    flag: 'reference',
    meta: 'R',
    help: `subtract a reference spectrum first (then use --method semi):
  mean                  the mean spectrum
  spectrum:FILE         a spectrum (.npy or text, one value per channel)
  region:Y0:Y1:X0:X1    the mean spectrum of rows Y0..Y1-1, columns X0..X1-1`,
  },
  negative: {
    kind: 'choice',
    choices: NMF_NEGATIVE,
    default: 'error',
    flag: 'negative',
    meta: 'N',
    help:
      'negative values (e.g. noise on normalised absorption data): error (refuse), clip (set them to 0) or ' +
      'shift (raise every value by -min); the output says how many values changed. Difference data need ' +
      '--method semi',
  },
  poisson: {
    kind: 'boolean',
    default: false,
    flag: 'poisson',
    help: 'Poisson normalisation (Keenan & Kotula), undone on the result',
  },
  pixelMask: {
    kind: 'text',
    flag: 'pixel-mask',
    meta: 'FILE',
    help: '.npy [ny, nx] (or [n]); non-zero pixels are fitted, others get NaN',
  },
  channelMask: {
    kind: 'text',
    flag: 'channels',
    meta: 'E0:E1',
    help: 'fit only channels with energy in [E0, E1]',
  },
} satisfies OptionTable;

/** Validate options against the data size and fill in defaults. */
export function resolveNmf(o: NmfOptions, pixels: number, channels: number): ResolvedNmf {
  const method = optionValue(NMF_OPTIONS, 'method', o.method);
  const init = optionValue(NMF_OPTIONS, 'init', o.init);
  const k = optionValue(NMF_OPTIONS, 'k', o.k);
  const limit = Math.min(pixels, channels);
  if (k > limit)
    throw new InputError(`nmf: k = ${k} is larger than min(pixels, channels) = min(${pixels}, ${channels}) = ${limit}`);
  const so = method === 'so' || method === 'ard';
  return {
    k,
    method,
    init,
    maxIterations: optionValue(NMF_OPTIONS, 'maxIterations', o.maxIterations),
    tol: optionValue(NMF_OPTIONS, 'tol', o.tol),
    seed: optionValue(NMF_OPTIONS, 'seed', o.seed),
    restarts: optionValue(NMF_OPTIONS, 'restarts', o.restarts),
    l1W: optionValue(NMF_OPTIONS, 'l1W', o.l1W),
    l1H: optionValue(NMF_OPTIONS, 'l1H', o.l1H),
    wo: optionValue(NMF_OPTIONS, 'wo', o.wo ?? (so ? 0.1 : 0)),
    pruneShare: optionValue(NMF_OPTIONS, 'pruneShare', o.pruneShare),
    mergeCosine: optionValue(NMF_OPTIONS, 'mergeCosine', o.mergeCosine),
    minvolLambda: optionValue(NMF_OPTIONS, 'minvolLambda', o.minvolLambda),
    minvolDelta: optionValue(NMF_OPTIONS, 'minvolDelta', o.minvolDelta),
    closure: optionValue(NMF_OPTIONS, 'closure', o.closure),
  };
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

/** Per-pixel loadings [ny, nx, k] as one map per component, [k, ny, nx]. */
export function componentMaps(loadings: NamedMap): Float32Array {
  const [ny, nx, k] = loadings.shape as [number, number, number];
  const npix = ny * nx;
  const out = new Float32Array(k * npix);
  for (let p = 0; p < npix; p++) for (let t = 0; t < k; t++) out[t * npix + p] = loadings.data[p * k + t]!;
  return out;
}
