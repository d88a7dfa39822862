// Bayesian peak model (Nagata, Sugita & Okada 2012): y = Σ_k a_k exp(−b_k (x − μ_k)² / 2) [+ c] + noise,
// its priors, the temperature ladder, the option table (one row per option: type, bounds, default,
// CLI flag, help) and its validation. Parameters of peak k sit at 3k (a), 3k+1 (μ), 3k+2 (b); the
// optional constant background c is last.
import { InputError, type Progress } from '../../engine/index.js';

/** Largest number of peaks a model may hold. */
export const KMAX_LIMIT = 8;

/** One option: its type and bounds, the default (null: derived from the data, see `help`), the
 * CLI flag and the help line. The CLI parser and validate() read this table. */
export interface OptionRow {
  type: 'int' | 'number' | 'boolean';
  min?: number;
  max?: number;
  /** The minimum itself is refused. */
  exclusiveMin?: boolean;
  default: number | boolean | null;
  flag: string;
  help: string;
}

export const BAYES_OPTIONS = {
  kmax: { type: 'int', min: 1, max: KMAX_LIMIT, default: 4, flag: '--kmax', help: 'models with K = 1..kmax peaks' },
  replicas: {
    type: 'int',
    min: 4,
    max: 64,
    default: 24,
    flag: '--replicas',
    help: 'temperatures L on the ladder β_1 = 0, β_l = ratio^(l−L)',
  },
  ratio: {
    type: 'number',
    min: 1,
    exclusiveMin: true,
    max: 4,
    default: 1.5,
    flag: '--ladder-ratio',
    help: 'ratio of adjacent inverse temperatures',
  },
  chains: { type: 'int', min: 1, max: 16, default: 2, flag: '--chains', help: 'independent chains per spectrum and K' },
  burnIn: { type: 'int', min: 10, max: 1e6, default: 2000, flag: '--burn-in', help: 'sweeps adapting step sizes' },
  sweeps: { type: 'int', min: 10, max: 1e6, default: 2000, flag: '--sweeps', help: 'sampling sweeps after burn-in' },
  samples: {
    type: 'int',
    min: 10,
    max: 10000,
    default: 100,
    flag: '--samples',
    help: 'thinned samples kept per chain and temperature (credible intervals)',
  },
  seed: { type: 'int', min: 0, max: 0xffffffff, default: 0, flag: '--seed', help: 'Philox seed' },
  background: {
    type: 'boolean',
    default: false,
    flag: '--background',
    help: 'add a constant background c ~ N(cMean, cSd²)',
  },
  aShape: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: 5,
    flag: '--a-shape',
    help: 'height a ~ Gamma(shape, rate)',
  },
  aRate: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: null,
    flag: '--a-rate',
    help: 'height prior rate (default 7.5 / max|y|; the paper used 5 with max|y| near 1.5)',
  },
  muMean: {
    type: 'number',
    default: null,
    flag: '--mu-mean',
    help: 'position μ ~ N(mean, var); default the axis centre',
  },
  muVar: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: null,
    flag: '--mu-var',
    help: "position prior variance (default 0.2 · (span / 3)²: the paper's 0.2 on its 0..3 axis)",
  },
  bShape: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: 5,
    flag: '--b-shape',
    help: 'inverse width b ~ Gamma(shape, rate)',
  },
  bRate: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: null,
    flag: '--b-rate',
    help: "inverse-width prior rate (default 0.04 · (span / 3)²: the paper's 0.04 on its 0..3 axis)",
  },
  cMean: { type: 'number', default: null, flag: '--c-mean', help: 'background prior mean (default the median of y)' },
  cSd: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: null,
    flag: '--c-sd',
    help: 'background prior sd (default max|y|)',
  },
  noiseFloor: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    default: null,
    flag: '--noise-floor',
    help: 'reference noise s0 of the β = 1 replica (default 0.7 × the noise of first differences)',
  },
  kPrior: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMin: true,
    default: 1,
    flag: '--k-prior',
    help: 'prior on K ∝ q^K (1: uniform over 1..kmax)',
  },
} as const satisfies Record<string, OptionRow>;

export type BayesOptionName = keyof typeof BAYES_OPTIONS;

export type BayesOptions = {
  [K in BayesOptionName]?: (typeof BAYES_OPTIONS)[K]['type'] extends 'boolean' ? boolean : number;
} & {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
};

/** Check one option value against its row; one line naming the option on failure. */
export function checkOption(name: BayesOptionName, v: unknown): void {
  const row: OptionRow = BAYES_OPTIONS[name];
  const label = `bayes: ${name} (${row.flag})`;
  if (row.type === 'boolean') {
    if (typeof v !== 'boolean') throw new InputError(`${label} must be true or false, got ${String(v)}`);
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InputError(`${label} must be a finite number, got ${String(v)}`);
  if (row.type === 'int' && !Number.isInteger(v)) throw new InputError(`${label} must be an integer, got ${v}`);
  const lowOk = row.min === undefined || (row.exclusiveMin ? v > row.min : v >= row.min);
  if (!lowOk || (row.max !== undefined && v > row.max)) {
    const lo = row.min === undefined ? '' : `${row.exclusiveMin ? '>' : '>='} ${row.min}`;
    const hi = row.max === undefined ? '' : `<= ${row.max}`;
    throw new InputError(`${label} must be ${[lo, hi].filter(Boolean).join(' and ')}, got ${v}`);
  }
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
  const v: Record<string, number | boolean | null> = {};
  for (const name of Object.keys(BAYES_OPTIONS) as BayesOptionName[]) {
    const given = options[name];
    if (given !== undefined) checkOption(name, given);
    v[name] = given ?? BAYES_OPTIONS[name].default;
  }
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
  const kmax = v.kmax as number;
  const background = v.background as boolean;
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
    aShape: v.aShape as number,
    aRate: (v.aRate as number | null) ?? (5 * 1.5) / ymax,
    muMean: (v.muMean as number | null) ?? 0.5 * (x[0]! + x[n - 1]!),
    muVar: (v.muVar as number | null) ?? 0.2 * scale * scale,
    bShape: v.bShape as number,
    bRate: (v.bRate as number | null) ?? 0.04 * scale * scale,
    cMean: (v.cMean as number | null) ?? median(Float64Array.from(spectra)),
    cSd: (v.cSd as number | null) ?? ymax,
  };
  const noiseFloor = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const given = v.noiseFloor as number | null;
    const est = given ?? 0.7 * diffNoise(spectra, s * n, n);
    if (!(est > 0))
      throw new InputError(`${what}: spectrum ${s} is constant: no noise to estimate (give --noise-floor)`);
    noiseFloor[s] = est;
  }
  return {
    kmax,
    replicas: v.replicas as number,
    ratio: v.ratio as number,
    chains: v.chains as number,
    burnIn: v.burnIn as number,
    sweeps: v.sweeps as number,
    samples: Math.min(v.samples as number, v.sweeps as number),
    seed: v.seed as number,
    background,
    kPrior: v.kPrior as number,
    priors,
    noiseFloor,
    betas: ladder(v.replicas as number, v.ratio as number),
  };
}
