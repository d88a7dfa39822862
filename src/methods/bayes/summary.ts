// From the accumulators of a finished run to what the user asks: the free energy F(K) by the
// stepping-stone product over the ladder (log-sum-exp), the noise level that minimises it, p(K|D),
// posterior summaries per parameter and the sampler's diagnostics.
import type { RemcBatch, RemcState } from './batch.js';

/** Diagnostics thresholds: a run outside them gets a warning. */
export const EXCHANGE_MIN = 0.05;
export const RHAT_MAX = 1.1;

export interface Evidence {
  /** log Z(β_t), t = 0..L−1 (log Z(0) = 0: the prior is normalised). */
  logZ: Float64Array;
  /** F at each noise level s_t = s0 / sqrt(β_t) (t ≥ 1; index 0 is NaN). */
  freeByT: Float64Array;
  /** min_s F(K, s), refined by a parabola in log β through the three grid points around the minimum. */
  free: number;
  noise: number;
  /** The grid temperature nearest the minimum: its samples are the posterior at the estimated noise. */
  tBest: number;
}

function logSumExp(v: number[]): number {
  const m = Math.max(...v);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** The evidence of one spectrum's model from its chains' stepping-stone accumulators. */
export function evidenceOf(b: RemcBatch, st: RemcState, spectrum: number): Evidence {
  const ly = b.layout;
  const { L } = ly;
  const logZ = new Float64Array(L);
  const terms = b.chains * b.sweeps;
  for (let t = 0; t + 1 < L; t++) {
    const parts: number[] = [];
    for (let c = 0; c < b.chains; c++) {
      const at = (spectrum * b.chains + c) * ly.aStride + ly.aLse + 2 * t;
      parts.push(st.a[at]! + Math.log(st.a[at + 1]!));
    }
    logZ[t + 1] = logZ[t]! + logSumExp(parts) - Math.log(terms);
  }
  const s0 = b.s0[spectrum]!;
  const freeByT = new Float64Array(L).fill(NaN);
  let tBest = 1;
  for (let t = 1; t < L; t++) {
    freeByT[t] = 0.5 * b.n * Math.log((2 * Math.PI * s0 * s0) / b.betas[t]!) - logZ[t]!;
    if (freeByT[t]! < freeByT[tBest]!) tBest = t;
  }
  let free = freeByT[tBest]!;
  let logBeta = Math.log(b.betas[tBest]!);
  if (tBest > 1 && tBest + 1 < L) {
    // Parabola through (log β, F) at tBest − 1, tBest, tBest + 1; its vertex lies between the outer two.
    const u0 = Math.log(b.betas[tBest - 1]!);
    const u1 = logBeta;
    const u2 = Math.log(b.betas[tBest + 1]!);
    const f0 = freeByT[tBest - 1]!;
    const f1 = freeByT[tBest]!;
    const f2 = freeByT[tBest + 1]!;
    const d01 = (f1 - f0) / (u1 - u0);
    const d12 = (f2 - f1) / (u2 - u1);
    const A = (d12 - d01) / (u2 - u0);
    if (A > 0) {
      const B = d01 - A * (u0 + u1);
      const uv = Math.min(u2, Math.max(u0, -B / (2 * A)));
      const fv = f1 + (uv - u1) * (d01 + A * (uv - u0));
      if (fv <= f1) {
        free = fv;
        logBeta = uv;
      }
    }
  }
  return { logZ, freeByT, free, noise: s0 / Math.sqrt(Math.exp(logBeta)), tBest };
}

export interface ParamSummary {
  mean: number;
  sd: number;
  /** Monte Carlo standard error of the mean from the spread of the chain means (NaN for one chain). */
  mcse: number;
  lo95: number;
  hi95: number;
  lo90: number;
  hi90: number;
  /** Gelman–Rubin potential scale reduction across chains (NaN for one chain). */
  rhat: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Posterior summary of parameter j at temperature t, pooling the spectrum's chains. `transform`
 * maps a sample (e.g. b → FWHM); moments then come from the thinned samples. */
export function paramSummary(
  b: RemcBatch,
  st: RemcState,
  spectrum: number,
  t: number,
  j: number,
  transform?: (v: number) => number,
): ParamSummary {
  const ly = b.layout;
  const { L, P, S } = ly;
  const chainMean: number[] = [];
  const chainVar: number[] = [];
  const all: number[] = [];
  let N = b.sweeps;
  for (let c = 0; c < b.chains; c++) {
    const g = spectrum * b.chains + c;
    const kept: number[] = [];
    for (let i = 0; i < S; i++) {
      const v = st.samples[g * ly.sStride + (i * L + t) * P + j]!;
      if (Number.isFinite(v)) kept.push(transform ? transform(v) : v);
    }
    all.push(...kept);
    if (transform) {
      N = kept.length;
      const m = kept.reduce((s, v) => s + v, 0) / Math.max(1, N);
      chainMean.push(m);
      chainVar.push(kept.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, N - 1));
    } else {
      const at = g * ly.aStride + ly.aMom + 2 * (t * P + j);
      const m = st.a[at]! / N;
      chainMean.push(m);
      chainVar.push(Math.max(0, st.a[at + 1]! / N - m * m) * (N / Math.max(1, N - 1)));
    }
  }
  const C = b.chains;
  const mean = chainMean.reduce((s, v) => s + v, 0) / C;
  const W = chainVar.reduce((s, v) => s + v, 0) / C;
  const between = C > 1 ? chainMean.reduce((s, v) => s + (v - mean) ** 2, 0) / (C - 1) : NaN;
  const total = C > 1 ? ((N - 1) / N) * W + between : W;
  all.sort((p, q) => p - q);
  return {
    mean,
    sd: Math.sqrt(C > 1 ? ((C - 1) / C) * between + W : W),
    mcse: C > 1 ? Math.sqrt(between / C) : NaN,
    lo95: quantile(all, 0.025),
    hi95: quantile(all, 0.975),
    lo90: quantile(all, 0.05),
    hi90: quantile(all, 0.95),
    rhat: C > 1 && W > 0 ? Math.sqrt(total / W) : NaN,
  };
}

export interface Diagnostics {
  /** Acceptance per temperature and parameter, [L][P], over the sampling sweeps. */
  acceptance: Float64Array;
  /** Exchange acceptance per adjacent pair (t, t+1), [L − 1]. */
  exchange: Float64Array;
  /** Round trips bottom → top → bottom, summed over replicas and chains. */
  roundTrips: number;
}

export function diagnosticsOf(b: RemcBatch, st: RemcState, spectrum: number): Diagnostics {
  const ly = b.layout;
  const { L, P } = ly;
  const acceptance = new Float64Array(L * P);
  const exchange = new Float64Array(L - 1);
  let roundTrips = 0;
  const tries = [0, 0];
  for (let sw = b.burnIn; sw < b.burnIn + b.sweeps; sw++) tries[sw & 1]++;
  for (let c = 0; c < b.chains; c++) {
    const uo = (spectrum * b.chains + c) * ly.uStride;
    for (let i = 0; i < L * P; i++) acceptance[i] += st.u[uo + ly.uAcc + i]! / (b.sweeps * b.chains);
    for (let t = 0; t + 1 < L; t++) exchange[t] += st.u[uo + ly.uExch + t]! / (tries[t & 1]! * b.chains);
    for (let s = 0; s < L; s++) roundTrips += st.u[uo + ly.uTrips + s]!;
  }
  return { acceptance, exchange, roundTrips };
}
