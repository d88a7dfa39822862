// Potts-MRF segmentation: options, defaults, validation and the result type.
//
// Model (METHODS.md §6): labels z_i in 0..K-1 on a 4- or 8-neighbour lattice;
//   p(z_i | rest) ∝ exp(beta · #{neighbours j with z_j = z_i}) · N(y_i; mu_k, s_k^2 I),
//   log N = -||y_i - mu_k||^2 / (2 s_k^2) - (D/2) log s_k^2.
import { assertNoNonFinite } from '../../data/non-finite.js';
import { InputError } from '../../engine/errors.js';
import { optionValue, type OptionTable } from '../option-table.js';
import type { MethodResult } from '../contract.js';
import type { NamedMap } from '../../data/types.js';

/** What the segmentation reads: a spectrum image or any per-pixel features (e.g. NMF loadings). */
export interface PixelFeatures {
  /** Row-major [ny, nx, channels]. */
  data: Float32Array;
  ny: number;
  nx: number;
  channels: number;
}

export type Neighbours = 4 | 8;

export type MrfInit = 'kmeans' | 'kmeans-smoothed';
export const INIT_DEFAULT: MrfInit = 'kmeans-smoothed';
export const KMEANS_RESTARTS_DEFAULT = 8;

export interface MrfOptions {
  /** Number of classes K (2 <= K <= 32, at most the number of pixels). */
  k: number;
  /** Potts coupling: a fixed value >= 0, or 'estimate' (pseudo-likelihood, every EM block). Default 'estimate'. */
  beta?: number | 'estimate';
  /** Starting beta when estimating. Default 0.5. */
  betaInit?: number;
  /** 4 or 8 neighbours. Default 4. */
  neighbours?: Neighbours;
  /** Stochastic-EM sweeps (burn-in): class parameters and beta re-estimated every `emEvery`. Default 300. */
  burnIn?: number;
  /** Sweeps at fixed parameters whose label counts give the posterior probabilities. Default 500. */
  samples?: number;
  /** Simulated-annealing sweeps to a MAP label map (temperature 1 → `tMin`, geometric). Default 200. */
  anneal?: number;
  /** Final temperature of the annealing. Default 0.05. */
  tMin?: number;
  /** Sweeps between parameter updates during burn-in. Default 10. */
  emEvery?: number;
  /** Seed of the Philox streams (k-means++ and the Gibbs sampler). Default 1. */
  seed?: number;
  /** Largest number of k-means (Lloyd) iterations for the initialisation (per restart). Default 100. */
  kmeansIterations?: number;
  /**
   * What the k-means start clusters: 'kmeans' the features themselves, 'kmeans-smoothed' each
   * pixel's features averaged over its 3×3 neighbourhood (masked pixels excluded). The chain
   * always runs on the features themselves. Default INIT_DEFAULT.
   */
  init?: MrfInit;
  /** k-means++ restarts for the start; the lowest-inertia run is kept. Default KMEANS_RESTARTS_DEFAULT. */
  kmeansRestarts?: number;
  /**
   * Pixels to segment, length ny·nx, non-zero = use the pixel (as `fitPeaks` and `nmf` take it).
   * The others (dead or hot pixels, NaN holes) take no part: they may hold NaN, are never read,
   * count as absent neighbours, and get label -1 and NaN confidence and probabilities.
   */
  pixelMask?: ArrayLike<number>;
}

export interface ResolvedMrf {
  k: number;
  beta: number | 'estimate';
  betaInit: number;
  neighbours: Neighbours;
  burnIn: number;
  samples: number;
  anneal: number;
  tMin: number;
  emEvery: number;
  seed: number;
  kmeansIterations: number;
  init: MrfInit;
  kmeansRestarts: number;
}

/** The label of a pixel left out by the pixel mask in MrfResult.labels and kmeansLabels. */
export const MASKED_LABEL = -1;

export interface MrfResult extends MethodResult {
  /** MAP label map (simulated annealing), [ny, nx], values 0..K-1; MASKED_LABEL (-1) where the pixel
   *  mask leaves a pixel out. */
  labels: Int32Array;
  /** Per-pixel posterior probability of its most probable label (label counts over the samples),
   *  [ny, nx]; NaN where masked. */
  confidence: Float32Array;
  /** Posterior label probabilities [ny, nx, K]; NaN where masked. */
  probabilities: Float32Array;
  /** Class mean spectra [K, channels] and variances [K] (from the final label map). */
  means: Float64Array;
  variances: Float64Array;
  /** Pixels per class in the final label map. */
  classSizes: number[];
  /** Pixels the pixel mask leaves out (0 without one). */
  masked: number;
  /** Beta used at each parameter update (constant when fixed). */
  betaTrace: number[];
  /** log p(z, y | theta, beta) up to the Potts normaliser: after each EM block, then every 100 sweeps
   *  and at each phase end. */
  logPosteriorTrace: number[];
  /** The labels the chain started from (the kept k-means run's) [ny, nx] (MASKED_LABEL where masked),
   *  and that run's Lloyd iterations. */
  kmeansLabels: Int32Array;
  kmeansIterations: number;
  ny: number;
  nx: number;
  k: number;
  channels: number;
  /** Sweeps run and label updates made (segmented pixels x sweeps), for throughput figures. */
  sweeps: number;
  labelUpdates: number;
  /** The resolved options (seed, beta mode, sweeps...). */
  options: ResolvedMrf;
}

export const MAX_CLASSES = 32;

/** Every option of segmentMrf: type, bounds, default, CLI flag and help (the CLI is made from it). */
export const MRF_OPTIONS = {
  k: { kind: 'integer', min: 2, max: MAX_CLASSES, flag: 'k', short: 'k', meta: 'N', help: 'number of classes' },
  beta: {
    kind: 'number',
    min: 0,
    words: ['estimate'],
    default: 'estimate',
    flag: 'beta',
    meta: 'B',
    defaultText: '',
    help: 'fixed Potts coupling B >= 0 (0: no spatial prior)',
  },
  betaInit: {
    kind: 'number',
    min: 0,
    default: 0.5,
    flag: 'beta-init',
    meta: 'B',
    help: 'starting coupling when estimating',
  },
  neighbours: {
    kind: 'choice',
    choices: [4, 8] as const,
    default: 4,
    flag: 'neighbours',
    meta: '4|8',
    help: 'lattice neighbourhood',
  },
  burnIn: {
    kind: 'integer',
    min: 0,
    default: 300,
    flag: 'burn-in',
    meta: 'N',
    help: 'stochastic-EM sweeps: class spectra (and beta) re-estimated every --em-every sweeps',
  },
  emEvery: { kind: 'integer', min: 1, default: 10, flag: 'em-every', meta: 'N', help: 'sweeps between re-estimates' },
  samples: {
    kind: 'integer',
    min: 1,
    default: 500,
    flag: 'samples',
    meta: 'N',
    help: 'sweeps at fixed parameters counted for the probabilities',
  },
  anneal: {
    kind: 'integer',
    min: 0,
    default: 200,
    flag: 'anneal',
    meta: 'N',
    help: 'simulated-annealing sweeps to the MAP map, down to temperature --t-min',
  },
  tMin: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    max: 1,
    default: 0.05,
    flag: 't-min',
    meta: 'T',
    help: 'final temperature of the annealing',
  },
  seed: {
    kind: 'integer',
    min: 0,
    max: 0xffffffff,
    default: 1,
    flag: 'seed',
    meta: 'S',
    help: 'seed of k-means++ and the sampler',
  },
  kmeansIterations: { kind: 'integer', min: 1, default: 100, help: 'most Lloyd iterations per k-means restart' },
  init: {
    kind: 'choice',
    choices: ['kmeans', 'kmeans-smoothed'] as const,
    default: INIT_DEFAULT,
    help: 'what the k-means start clusters: the features, or their 3×3 means',
  },
  kmeansRestarts: {
    kind: 'integer',
    min: 1,
    default: KMEANS_RESTARTS_DEFAULT,
    help: 'k-means++ restarts of the start; the lowest-inertia run is kept',
  },
  pixelMask: {
    kind: 'text',
    flag: 'pixel-mask',
    meta: 'FILE',
    help:
      '.npy [ny, nx] (or [n]); non-zero pixels are segmented, the others (dead, hot, NaN) take no part: ' +
      'label -1, confidence NaN, no neighbour to anyone',
  },
} satisfies OptionTable;

/**
 * Checks shape, the pixel mask, finiteness of the selected pixels and every option; returns the
 * options with defaults filled in and the mask as 0/1 per pixel (null without one).
 */
export function resolveMrf(
  x: PixelFeatures,
  o: MrfOptions,
): ResolvedMrf & { valid: Uint8Array | null; selected: number } {
  const valid = validateFeatures(x, o.pixelMask);
  const npix = x.ny * x.nx;
  const selected = valid ? countSelected(valid) : npix;
  const k = optionValue(MRF_OPTIONS, 'k', o.k);
  if (k > selected) {
    const of = valid
      ? `${selected} pixels the pixel mask selects in the ${x.ny}×${x.nx} image`
      : `${npix} pixels of the ${x.ny}×${x.nx} image`;
    throw new InputError(`mrf: k = ${k} classes is more than the ${of}`);
  }
  if (allPixelsEqual(x, valid))
    throw new InputError(
      `every${valid ? ' selected' : ''} pixel holds the same ${x.channels === 1 ? 'value' : 'spectrum'} (the map is constant): there are no classes to find`,
    );
  const beta = optionValue(MRF_OPTIONS, 'beta', o.beta) as number | 'estimate';
  return {
    k,
    beta,
    betaInit: optionValue(MRF_OPTIONS, 'betaInit', o.betaInit),
    neighbours: optionValue(MRF_OPTIONS, 'neighbours', o.neighbours),
    burnIn: optionValue(MRF_OPTIONS, 'burnIn', o.burnIn),
    samples: optionValue(MRF_OPTIONS, 'samples', o.samples),
    anneal: optionValue(MRF_OPTIONS, 'anneal', o.anneal),
    tMin: optionValue(MRF_OPTIONS, 'tMin', o.tMin),
    emEvery: optionValue(MRF_OPTIONS, 'emEvery', o.emEvery),
    seed: optionValue(MRF_OPTIONS, 'seed', o.seed),
    kmeansIterations: optionValue(MRF_OPTIONS, 'kmeansIterations', o.kmeansIterations),
    init: optionValue(MRF_OPTIONS, 'init', o.init),
    kmeansRestarts: optionValue(MRF_OPTIONS, 'kmeansRestarts', o.kmeansRestarts),
    valid,
    selected,
  };
}

function countSelected(valid: Uint8Array): number {
  let n = 0;
  for (let p = 0; p < valid.length; p++) n += valid[p]!;
  return n;
}

/** The pixel mask as 0/1 per pixel, or null without one; refuses a mask of the wrong length or selecting nothing. */
export function pixelMaskOf(mask: ArrayLike<number> | undefined, ny: number, nx: number): Uint8Array | null {
  if (mask === undefined) return null;
  const npix = ny * nx;
  if (mask.length !== npix)
    throw new InputError(`mrf: pixelMask has ${mask.length} values but the image has ${ny} × ${nx} = ${npix} pixels`);
  const valid = new Uint8Array(npix);
  let selected = 0;
  for (let p = 0; p < npix; p++) selected += valid[p] = mask[p] ? 1 : 0;
  if (selected === 0) throw new InputError(`mrf: pixelMask selects no pixel (all ${npix} are 0): nothing to segment`);
  return valid;
}

/**
 * Shape and finiteness of the features: a 2-D image of at least 2×2 pixels, no NaN/Inf in a
 * pixel `pixelMask` selects (every pixel without one). Returns the mask as pixelMaskOf does.
 */
export function validateFeatures(x: PixelFeatures, pixelMask?: ArrayLike<number>): Uint8Array | null {
  const { ny, nx, channels, data } = x;
  if (!Number.isInteger(ny) || !Number.isInteger(nx) || !Number.isInteger(channels) || channels < 1) {
    throw new InputError(`mrf: image shape must be integers ny, nx, channels >= 1, got ${ny}×${nx}×${channels}`);
  }
  if (ny < 2 || nx < 2)
    throw new InputError(
      `mrf: a Potts lattice needs an image at least 2 pixels wide and high, got ${ny}×${nx} ` +
        '(is this a list of spectra, not a map?)',
    );
  if (data.length !== ny * nx * channels)
    throw new InputError(
      `mrf: data has ${data.length} values, expected ${ny}×${nx}×${channels} = ${ny * nx * channels}`,
    );
  const valid = pixelMaskOf(pixelMask, ny, nx);
  assertNoNonFinite({ ...x, layout: 'map' }, { what: 'mrf', pixelMask: valid });
  return valid;
}

/** Whether every selected pixel's features equal the first selected pixel's. */
function allPixelsEqual(x: PixelFeatures, valid: Uint8Array | null): boolean {
  const C = x.channels;
  const P = x.ny * x.nx;
  let first = -1;
  for (let p = 0; p < P; p++) {
    if (valid && !valid[p]) continue;
    if (first < 0) {
      first = p;
      continue;
    }
    for (let c = 0; c < C; c++) if (x.data[p * C + c] !== x.data[first * C + c]) return false;
  }
  return true;
}

/** Mean confidence over the segmented pixels (the masked ones hold NaN). */
export function meanConfidence(r: Pick<MrfResult, 'confidence' | 'masked'>): number {
  let sum = 0;
  for (const c of r.confidence) if (c === c) sum += c;
  return sum / (r.confidence.length - r.masked);
}

/** The result as named maps (for writers and reports). */
export function mrfMaps(r: MrfResult): Record<string, NamedMap> {
  return {
    labels: {
      data: Float32Array.from(r.labels),
      shape: [r.ny, r.nx],
      unit: '',
      description: 'MAP class label (simulated annealing), 0..K-1; -1 where the pixel mask leaves the pixel out',
    },
    confidence: {
      data: r.confidence,
      shape: [r.ny, r.nx],
      unit: '',
      description: 'posterior probability of the most probable label (NaN where masked)',
    },
    probabilities: {
      data: r.probabilities,
      shape: [r.ny, r.nx, r.k],
      unit: '',
      description: 'posterior label probabilities from Gibbs sample counts',
    },
    class_means: { data: Float32Array.from(r.means), shape: [r.k, r.channels], description: 'class mean spectra' },
    class_variances: {
      data: Float32Array.from(r.variances),
      shape: [r.k],
      description: 'class variances (isotropic, per channel)',
    },
    kmeans_labels: {
      data: Float32Array.from(r.kmeansLabels),
      shape: [r.ny, r.nx],
      unit: '',
      description: 'k-means initialisation labels (-1 where masked)',
    },
  };
}
