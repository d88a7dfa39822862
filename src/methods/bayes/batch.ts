// One replica-exchange batch: a model with K peaks run for every spectrum × chain (a "group"),
// its constants, and its initial state drawn from the prior on the host (both backends start
// from the same numbers).
import { PhiloxStream } from '../../random/index.js';
import { LSE_EMPTY, remcLayout, type RemcLayout } from './layout.js';
import { paramCount, type BayesSettings, type Priors } from './model.js';

export interface RemcBatch {
  K: number;
  layout: RemcLayout;
  /** Groups: spectrum = floor(g / chains), chain = g % chains. */
  groups: number;
  chains: number;
  spectra: number;
  /** Index of the batch's first spectrum in the whole input: the Philox key's second word is the
   * global spectrum index, so results do not depend on how spectra are chunked. */
  first: number;
  n: number;
  x: Float64Array;
  /** Spectra × n, row-major. */
  y: Float64Array;
  background: boolean;
  priors: Priors;
  betas: Float64Array;
  /** Reference noise s0 per spectrum. */
  s0: Float64Array;
  /** Largest step per parameter (twice its prior sd). */
  maxStep: Float64Array;
  burnIn: number;
  sweeps: number;
  /** Sampling sweeps between kept samples. */
  thin: number;
  seed: number;
}

/** The state a backend advances: f32-valued, u32 counters, accumulators and samples. */
export interface RemcState {
  f: Float64Array;
  u: Uint32Array;
  a: Float64Array;
  samples: Float64Array;
}

/** Prior sd of each parameter (a, μ, b per peak, then c). */
export function priorSd(p: Priors, K: number, background: boolean): Float64Array {
  const sd = new Float64Array(paramCount(K, background));
  for (let k = 0; k < K; k++) {
    sd[3 * k] = Math.sqrt(p.aShape) / p.aRate;
    sd[3 * k + 1] = Math.sqrt(p.muVar);
    sd[3 * k + 2] = Math.sqrt(p.bShape) / p.bRate;
  }
  if (background) sd[3 * K] = p.cSd;
  return sd;
}

export function makeBatch(
  s: BayesSettings,
  K: number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  spectra: number,
  first = 0,
): RemcBatch {
  const P = paramCount(K, s.background);
  const sd = priorSd(s.priors, K, s.background);
  return {
    K,
    layout: remcLayout(s.replicas, P, s.samples),
    groups: spectra * s.chains,
    chains: s.chains,
    spectra,
    first,
    n: x.length,
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    background: s.background,
    priors: s.priors,
    betas: s.betas,
    s0: s.noiseFloor.slice(first, first + spectra),
    maxStep: sd.map((v) => 2 * v),
    burnIn: s.burnIn,
    sweeps: s.sweeps,
    thin: Math.max(1, Math.floor(s.sweeps / s.samples)),
    seed: s.seed,
  };
}

/** Philox counter word 1 of a group: unique per (K, chain) within a spectrum (the key holds the spectrum). */
export function groupWord(b: RemcBatch, g: number): number {
  return (b.K - 1) * b.chains + (g % b.chains);
}

/** Gamma(shape, rate) by Marsaglia & Tsang (shape < 1 boosted by u^(1/shape)). */
function gamma(r: PhiloxStream, shape: number, rate: number): number {
  if (shape < 1) return gamma(r, shape + 1, rate) * Math.pow(r.uniformDouble() || 1e-300, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = r.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = r.uniformDouble();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Model value at x for parameters theta (offset o). */
export function modelAt(theta: ArrayLike<number>, o: number, K: number, background: boolean, x: number): number {
  let f = background ? theta[o + 3 * K]! : 0;
  for (let k = 0; k < K; k++) {
    const d = x - theta[o + 3 * k + 1]!;
    f += theta[o + 3 * k]! * Math.exp(-0.5 * theta[o + 3 * k + 2]! * d * d);
  }
  return f;
}

/** Initial state: every replica drawn from the prior (positions sorted: the ordered-μ constraint
 * that removes label switching), steps prior sd / sqrt(1 + β n), counters and sums empty.
 * Values are rounded to f32 so both backends start from the same numbers. */
export function initialState(b: RemcBatch): RemcState {
  const { L, P } = b.layout;
  const ly = b.layout;
  const f = new Float64Array(b.groups * ly.fStride);
  const u = new Uint32Array(b.groups * ly.uStride);
  const a = new Float64Array(b.groups * ly.aStride);
  const samples = new Float64Array(b.groups * ly.sStride).fill(NaN);
  const sd = priorSd(b.priors, b.K, b.background);
  const p = b.priors;
  for (let g = 0; g < b.groups; g++) {
    const spectrum = Math.floor(g / b.chains);
    // A stream per (spectrum, K, chain): draws do not depend on how groups are batched.
    const r = new PhiloxStream((b.seed + Math.imul(0x9e3779b9, 1 + groupWord(b, g))) >>> 0, b.first + spectrum);
    const fo = g * ly.fStride;
    for (let s = 0; s < L; s++) {
      const th = fo + ly.fTheta + s * P;
      const mus: number[] = [];
      for (let k = 0; k < b.K; k++) {
        f[th + 3 * k] = gamma(r, p.aShape, p.aRate);
        mus.push(p.muMean + Math.sqrt(p.muVar) * r.normal());
        f[th + 3 * k + 2] = gamma(r, p.bShape, p.bRate);
      }
      mus.sort((m1, m2) => m1 - m2);
      for (let k = 0; k < b.K; k++) f[th + 3 * k + 1] = mus[k]!;
      if (b.background) f[th + 3 * b.K] = p.cMean + p.cSd * r.normal();
      for (let j = 0; j < P; j++) f[th + j] = Math.fround(f[th + j]!);
      // Strictly increasing after rounding (equal positions would block every μ move).
      for (let k = 1; k < b.K; k++)
        if (!(f[th + 3 * k + 1]! > f[th + 3 * k - 2]!))
          f[th + 3 * k + 1] = Math.fround(f[th + 3 * k - 2]! + Math.abs(f[th + 3 * k - 2]!) * 1e-6 + 1e-30);
    }
    for (let t = 0; t < L; t++)
      for (let j = 0; j < P; j++)
        f[fo + ly.fStep + t * P + j] = Math.fround(Math.min(b.maxStep[j]!, sd[j]! / Math.sqrt(1 + b.betas[t]! * b.n)));
    const uo = g * ly.uStride;
    for (let s = 0; s < L; s++) u[uo + ly.uPerm + s] = s;
    const ao = g * ly.aStride;
    for (let t = 0; t < L; t++) a[ao + ly.aLse + 2 * t] = LSE_EMPTY;
  }
  return { f, u, a, samples };
}
