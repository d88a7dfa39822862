// Bayesian peak model (Nagata, Sugita & Okada 2012): y = Σ_k a_k exp(−b_k (x − μ_k)² / 2) [+ c] + noise,
// its priors, the temperature ladder, the option table (one row per option: kind, bounds, default,
// CLI flag, help) and its validation. Parameters of peak k sit at 3k (a), 3k+1 (μ), 3k+2 (b); the
// optional constant background c is last.
import { InputError, type Progress } from '../../engine/index.js';
import { optionValue, type OptionTable, type ValueOf } from '../option-table.js';

/** Largest number of peaks a model may hold. */
export const KMAX_LIMIT = 8;

/** Every option of bayes: kind, bounds, default, CLI flag and help (the CLI is made from it). Options
 * without `default` are scaled to the data (their `defaultText` says how). */
export const BAYES_OPTIONS = {
  kmax: {
    kind: 'integer',
    min: 1,
    max: KMAX_LIMIT,
    default: 4,
    flag: 'kmax',
    meta: 'K',
    help: 'models with K = 1..kmax peaks',
  },
  replicas: {
    kind: 'integer',
    min: 4,
    max: 64,
    default: 24,
    flag: 'replicas',
    meta: 'L',
    help: 'temperatures L on the ladder β_1 = 0, β_l = ratio^(l−L)',
  },
  ratio: {
    kind: 'number',
    min: 1,
    exclusiveMin: true,
    max: 4,
    default: 1.5,
    flag: 'ladder-ratio',
    meta: 'X',
    help: 'ratio of adjacent inverse temperatures',
  },
  chains: {
    kind: 'integer',
    min: 1,
    max: 16,
    default: 2,
    flag: 'chains',
    meta: 'N',
    help: 'independent chains per spectrum and K',
  },
  burnIn: {
    kind: 'integer',
    min: 10,
    max: 1e6,
    default: 2000,
    flag: 'burn-in',
    meta: 'N',
    help: 'sweeps adapting step sizes',
  },
  sweeps: {
    kind: 'integer',
    min: 10,
    max: 1e6,
    default: 2000,
    flag: 'sweeps',
    meta: 'N',
    help: 'sampling sweeps after burn-in',
  },
  samples: {
    kind: 'integer',
    min: 10,
    max: 10000,
    default: 100,
    flag: 'samples',
    meta: 'N',
    help: 'thinned samples kept per chain and temperature (credible intervals)',
  },
  seed: { kind: 'integer', min: 0, max: 0xffffffff, default: 0, flag: 'seed', meta: 'S', help: 'Philox seed' },
  background: {
    kind: 'boolean',
    default: false,
    flag: 'background',
    help: 'add a constant background c ~ N(cMean, cSd²)',
  },
  aShape: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    default: 5,
    flag: 'a-shape',
    meta: 'X',
    help: 'height a ~ Gamma(shape, rate)',
  },
  aRate: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    flag: 'a-rate',
    meta: 'X',
    help: 'height prior rate',
    defaultText: '7.5 / max|y|; the paper used 5 with max|y| near 1.5',
  },
  muMean: {
    kind: 'number',
    flag: 'mu-mean',
    meta: 'X',
    help: 'position μ ~ N(mean, var)',
    defaultText: 'the axis centre',
  },
  muVar: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    flag: 'mu-var',
    meta: 'X',
    help: 'position prior variance',
    defaultText: "0.2 · (span / 3)²: the paper's 0.2 on its 0..3 axis",
  },
  bShape: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    default: 5,
    flag: 'b-shape',
    meta: 'X',
    help: 'inverse width b ~ Gamma(shape, rate)',
  },
  bRate: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    flag: 'b-rate',
    meta: 'X',
    help: 'inverse-width prior rate',
    defaultText: "0.04 · (span / 3)²: the paper's 0.04 on its 0..3 axis",
  },
  cMean: { kind: 'number', flag: 'c-mean', meta: 'X', help: 'background prior mean', defaultText: 'the median of y' },
  cSd: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    flag: 'c-sd',
    meta: 'X',
    help: 'background prior sd',
    defaultText: 'max|y|',
  },
  noiseFloor: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    flag: 'noise-floor',
    meta: 'X',
    help: 'reference noise s0 of the β = 1 replica',
    defaultText: '0.7 × the noise of first differences',
  },
  kPrior: {
    kind: 'number',
    min: 0,
    max: 1,
    exclusiveMin: true,
    default: 1,
    flag: 'k-prior',
    meta: 'Q',
    help: 'prior on K ∝ q^K (1: uniform over 1..kmax)',
  },
} satisfies OptionTable;

export type BayesOptionName = keyof typeof BAYES_OPTIONS;

export type BayesOptions = {
  [K in BayesOptionName]?: ValueOf<(typeof BAYES_OPTIONS)[K]>;
} & {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
};

/** A data-scaled option: checked against the table when given, else undefined (scaled by the caller). */
function scaledValue(options: BayesOptions, key: BayesOptionName): number | undefined {
  const given = options[key];
  return given === undefined ? undefined : (optionValue(BAYES_OPTIONS, key, given) as number);
}

export interface Priors {
  aShape: number;
  aRate: number;
  muMean: number;
  muVar: number;
  bShape: number;
  bRate: number;
  cMean: number;
  cSd: number;
}

/** Everything a run needs, resolved against the data. */
export interface BayesSettings {
  kmax: number;
  replicas: number;
  ratio: number;
  chains: number;
  burnIn: number;
  sweeps: number;
  samples: number;
  seed: number;
  background: boolean;
  kPrior: number;
  priors: Priors;
  /** Reference noise s0 per spectrum (replica l samples the posterior at s = s0 / sqrt(β_l)). */
  noiseFloor: Float64Array;
  /** Inverse temperatures, β_0 = 0 < β_1 < … < β_{L−1} = 1. */
  betas: Float64Array;
}

/** The geometric ladder of the paper: β_1 = 0, β_l = ratio^(l−L) for l = 2..L (0-based here). */
export function ladder(replicas: number, ratio: number): Float64Array {
  const b = new Float64Array(replicas);
  for (let l = 1; l < replicas; l++) b[l] = ratio ** (l + 1 - replicas);
  return b;
}

/** Parameters of a model with k peaks. */
export function paramCount(k: number, background: boolean): number {
  return 3 * k + (background ? 1 : 0);
}

/** Noise sd of y[start .. start + n) from first differences: 1.4826 · MAD(Δy) / √2 (robust to smooth peaks). */
export function diffNoise(y: ArrayLike<number>, start = 0, n = y.length): number {
  const d = new Float64Array(n - 1);
  for (let i = 0; i + 1 < n; i++) d[i] = y[start + i + 1]! - y[start + i]!;
  const med = median(d);
  for (let i = 0; i < d.length; i++) d[i] = Math.abs(d[i]! - med);
  return (1.4826 * median(d)) / Math.SQRT2;
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Validate the options and the spectra (spectra × channels, row-major) and resolve the defaults. */
export function bayesSettings(
  options: BayesOptions,
  x: ArrayLike<number>,
  spectra: ArrayLike<number>,
  count: number,
  what = 'input',
): BayesSettings {
  const kmax = optionValue(BAYES_OPTIONS, 'kmax', options.kmax);
  const replicas = optionValue(BAYES_OPTIONS, 'replicas', options.replicas);
  const ratio = optionValue(BAYES_OPTIONS, 'ratio', options.ratio);
  const chains = optionValue(BAYES_OPTIONS, 'chains', options.chains);
  const burnIn = optionValue(BAYES_OPTIONS, 'burnIn', options.burnIn);
  const sweeps = optionValue(BAYES_OPTIONS, 'sweeps', options.sweeps);
  const samples = optionValue(BAYES_OPTIONS, 'samples', options.samples);
  const seed = optionValue(BAYES_OPTIONS, 'seed', options.seed);
  const background = optionValue(BAYES_OPTIONS, 'background', options.background);
  const aShape = optionValue(BAYES_OPTIONS, 'aShape', options.aShape);
  const bShape = optionValue(BAYES_OPTIONS, 'bShape', options.bShape);
  const kPrior = optionValue(BAYES_OPTIONS, 'kPrior', options.kPrior);
  const aRate = scaledValue(options, 'aRate');
  const muMean = scaledValue(options, 'muMean');
  const muVar = scaledValue(options, 'muVar');
  const bRate = scaledValue(options, 'bRate');
  const cMean = scaledValue(options, 'cMean');
  const cSd = scaledValue(options, 'cSd');
  const noiseFloorGiven = scaledValue(options, 'noiseFloor');
  const n = x.length;
  if (count < 1) throw new InputError(`${what}: no spectra`);
  if (spectra.length !== count * n)
    throw new InputError(`${what}: ${spectra.length} values do not make ${count} spectra of ${n} channels`);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(x[i]!)) throw new InputError(`${what}: the axis value at channel ${i} is ${x[i]}`);
  for (let i = 1; i < n; i++)
    if (!(x[i]! > x[i - 1]!)) throw new InputError(`${what}: the axis must increase (channel ${i})`);
  for (let i = 0; i < spectra.length; i++)
    if (!Number.isFinite(spectra[i]!))
      throw new InputError(`${what}: spectrum ${Math.floor(i / n)} channel ${i % n} is ${spectra[i]} (not finite)`);
  const need = 2 * paramCount(kmax, background);
  if (n < need)
    throw new InputError(
      `${what}: ${n} channels are too few for kmax = ${kmax} (${paramCount(kmax, background)} parameters need >= ${need} channels)`,
    );
  const span = x[n - 1]! - x[0]!;
  const scale = span / 3;
  let ymax = 0;
  for (let i = 0; i < spectra.length; i++) ymax = Math.max(ymax, Math.abs(spectra[i]!));
  if (!(ymax > 0)) throw new InputError(`${what}: every value is zero`);
  const priors: Priors = {
    aShape,
    aRate: aRate ?? (5 * 1.5) / ymax,
    muMean: muMean ?? 0.5 * (x[0]! + x[n - 1]!),
    muVar: muVar ?? 0.2 * scale * scale,
    bShape,
    bRate: bRate ?? 0.04 * scale * scale,
    cMean: cMean ?? median(Float64Array.from(spectra)),
    cSd: cSd ?? ymax,
  };
  const noiseFloor = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const est = noiseFloorGiven ?? 0.7 * diffNoise(spectra, s * n, n);
    if (!(est > 0))
      throw new InputError(`${what}: spectrum ${s} is constant: no noise to estimate (give --noise-floor)`);
    noiseFloor[s] = est;
  }
  return {
    kmax,
    replicas,
    ratio,
    chains,
    burnIn,
    sweeps,
    samples: Math.min(samples, sweeps),
    seed,
    background,
    kPrior,
    priors,
    noiseFloor,
    betas: ladder(replicas, ratio),
  };
}
