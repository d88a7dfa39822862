// The components of the EM peak model in float64, one section per kind: what each contributes to
// the mixture density, the E-step and the M-step. The WGSL kernels (kernels/peaks/estep.wgsl,
// mstep.wgsl, window.wgsl, tougaard.wgsl) evaluate the same formulas in float32; em.ts runs the
// iteration. docs/peaks-method.md lists the touch points of adding a kind.
//
// Every component is a density normalised over the measured window [lo, hi]; the mixture is
// sum_j pi_j f_j(x) with weights pi (sum 1): the peaks first (index k), then the background
// components (index K + b).

import { erf, LOG_SQRT_2PI, normalCdf, normalCdfIntegral, phi } from '../../math/special.js';
import type { BackgroundComponent, EnergyWindow, LinearBackground, PeakParams, ResolvedPeaks } from './model.js';

const SQRT2 = Math.SQRT2;

// ---- The model's components

/** 'gaussian': a peak (Gaussian truncated to the window); 'linear': a fixed linear background
 * (uniform, rampUp, rampDown); 'shirley': the active Shirley step of the peaks; 'tougaard':
 * Tougaard's background of the pixel's own counts. */
export type ComponentKind = 'gaussian' | 'linear' | 'shirley' | 'tougaard';
export type ComponentRole = 'peak' | 'background';

export interface Component {
  kind: ComponentKind;
  role: ComponentRole;
  /** Its place within its role: peak k (weight k) or background component b (weight K + b). */
  index: number;
  /** A peak's name, or the background option ('uniform', 'shirleyKE', ...). */
  name: string;
  /** 'shirley' and 'tougaard': the side the losses lie on (+1: towards higher x, binding energy). */
  sign?: 1 | -1;
}

/** The components of a model with these peak names and background options, peaks first. */
export function resolveComponents(names: string[], background: BackgroundComponent[]): Component[] {
  const peaks = names.map((name, index): Component => ({ kind: 'gaussian', role: 'peak', index, name }));
  const bg = background.map((name, index): Component => {
    if (name === 'shirley' || name === 'shirleyKE')
      return { kind: 'shirley', role: 'background', index, name, sign: name === 'shirley' ? 1 : -1 };
    if (name === 'tougaard' || name === 'tougaardKE')
      return { kind: 'tougaard', role: 'background', index, name, sign: name === 'tougaard' ? 1 : -1 };
    return { kind: 'linear', role: 'background', index, name };
  });
  return [...peaks, ...bg];
}

// ---- Kind 'gaussian': a peak truncated to the window

/** The window terms of a Gaussian (centre c, width s) truncated to [lo, hi]:
 * a, b = standardised edges; Z = mass inside; and the two M-step corrections
 * dm = (phi(a) - phi(b)) / Z (mean shift of the truncated normal in units of s) and
 * dv = (a phi(a) - b phi(b)) / Z (its variance factor is 1 + dv - dm^2). */
export interface WindowTerms {
  logZ: number;
  dm: number;
  dv: number;
}

export function gaussWindow(c: number, s: number, w: EnergyWindow): WindowTerms {
  const a = (w.lo - c) / s;
  const b = (w.hi - c) / s;
  const Z = Math.max(0.5 * (erf(b / SQRT2) - erf(a / SQRT2)), 1e-300);
  const pa = phi(a);
  const pb = phi(b);
  return { logZ: Math.log(Z), dm: (pa - pb) / Z, dv: (a * pa - b * pb) / Z };
}

/** log of the truncated Gaussian density at x (per energy unit). */
export function logGauss(x: number, c: number, s: number, logZ: number): number {
  const z = (x - c) / s;
  return -0.5 * z * z - Math.log(s) - LOG_SQRT_2PI - logZ;
}

/** The E-step's log coefficient of a peak: log pi - log sigma - log sqrt(2 pi) - log Z, so that its
 * log term at x is this minus z^2 / 2, z = (x - c) / sigma. */
export function gaussianLogCoef(weight: number, sigma: number, wt: WindowTerms, tiny: number): number {
  return Math.log(Math.max(weight, tiny)) - Math.log(sigma) - LOG_SQRT_2PI - wt.logZ;
}

/** A peak's E-step statistics: per peak N = sum w, A = sum w (x - c), B = sum w (x - c)^2. */
export interface GaussianStats {
  N: Float64Array;
  A: Float64Array;
  B: Float64Array;
}

/** Add one channel's responsibility w of peak k at offset d = x - c_k. */
export function addGaussianStats(st: GaussianStats, k: number, w: number, d: number): void {
  st.N[k] += w;
  st.A[k] += w * d;
  st.B[k] += w * d * d;
}

/** Smallest variance factor 1 + dv accepted (guards the width update of a peak squeezed at an edge). */
export const MIN_VAR_FACTOR = 1e-6;

/** The peaks' closed-form M-step (em.ts header): positions pooled over position groups (clipped to
 * their bounds; fixed groups and groups without weight keep theirs), then widths pooled over width
 * groups at the new positions (clipped to sigmaBounds). Also each group's summed responsibility N_g,
 * from which em.ts derives the peak weights. */
export function gaussianMStep(
  m: ResolvedPeaks,
  p: PeakParams,
  wt: WindowTerms[],
  st: GaussianStats,
  tiny: number,
): { position: number[]; sigma: number[]; groupN: Float64Array } {
  const K = m.K;
  const G = m.groupBase.length;
  const mu = m.groupBase.map((k) => p.position[k]!);
  const Ng = new Float64Array(G);
  const num = new Float64Array(G);
  for (let k = 0; k < K; k++) {
    const g = m.group[k]!;
    Ng[g] += st.N[k]!;
    num[g] += st.A[k]! - p.sigma[k]! * st.N[k]! * wt[k]!.dm;
  }
  const muNew = mu.map((u, g) => {
    if (m.groupFixed[g] || Ng[g]! <= tiny) return u;
    const [lo, hi] = m.groupBounds[g]!;
    return Math.min(hi, Math.max(lo, u + num[g]! / Ng[g]!));
  });

  const wg = m.group.map((g) => (m.sharedWidth ? 0 : g));
  const W = m.sharedWidth ? 1 : G;
  const Nw = new Float64Array(W);
  const Sw = new Float64Array(W);
  const Vw = new Float64Array(W);
  for (let k = 0; k < K; k++) {
    const w = wg[k]!;
    const g = m.group[k]!;
    const delta = muNew[g]! - mu[g]!;
    Nw[w] += st.N[k]!;
    Sw[w] += st.B[k]! - 2 * delta * st.A[k]! + delta * delta * st.N[k]!;
    Vw[w] += st.N[k]! * wt[k]!.dv;
  }
  const [slo, shi] = m.sigmaBounds;
  const sigmaOfGroup = Array.from({ length: W }, (_, w) => {
    if (Nw[w]! <= tiny) return NaN; // keep the current width
    const factor = Math.max(1 + Vw[w]! / Nw[w]!, MIN_VAR_FACTOR);
    return Math.min(shi, Math.max(slo, Math.sqrt(Math.max(Sw[w]!, 0) / Nw[w]! / factor)));
  });
  const position = m.group.map((g, k) => muNew[g]! + m.offset[k]!);
  const sigma = wg.map((w, k) => (Number.isNaN(sigmaOfGroup[w]!) ? p.sigma[k]! : sigmaOfGroup[w]!));
  return { position, sigma, groupN: Ng };
}

// ---- Kind 'linear': uniform, rampUp, rampDown (fixed densities; their M-step is the weight alone)

/** A linear background component's density at x (per energy unit), normalised over the window. */
export function backgroundDensity(kind: LinearBackground, x: number, w: EnergyWindow): number {
  const L = w.hi - w.lo;
  switch (kind) {
    case 'uniform':
      return 1 / L;
    case 'rampUp':
      return (2 * (x - w.lo)) / (L * L);
    case 'rampDown':
      return (2 * (w.hi - x)) / (L * L);
  }
}

// ---- Kind 'shirley': the active Shirley step, re-derived from the peaks in every E-step; the
// peaks' M-step treats it as fixed, its own M-step is its weight

/** The mass over the window of one peak's smoothed step Phi(sign (x - c)/s):
 * integral_lo^hi Phi(sign (x - c)/s) dx = s sign [G(sign b) - G(sign a)], a, b the standardised edges. */
export function stepMass(c: number, s: number, sign: 1 | -1, w: EnergyWindow): number {
  const a = (w.lo - c) / s;
  const b = (w.hi - c) / s;
  return sign > 0
    ? s * (normalCdfIntegral(b) - normalCdfIntegral(a))
    : s * (normalCdfIntegral(-a) - normalCdfIntegral(-b));
}

/** The peaks that shape an active Shirley step: positions, widths and weights (or areas: only their
 * proportions matter). */
export interface StepPeaks {
  position: ArrayLike<number>;
  sigma: ArrayLike<number>;
  weight: ArrayLike<number>;
}

/** Per peak, the step's coefficient pi_k / sum_j pi_j mass_j: the Shirley density is
 * f_S(x) = sum_k coef_k Phi(sign (x - c_k)/s_k). All zero when the peaks carry no weight. */
export function shirleyCoefficients(peaks: StepPeaks, K: number, sign: 1 | -1, w: EnergyWindow): Float64Array {
  const coef = new Float64Array(K);
  let norm = 0;
  for (let k = 0; k < K; k++) norm += peaks.weight[k]! * stepMass(peaks.position[k]!, peaks.sigma[k]!, sign, w);
  if (!(norm > 1e-300)) return coef;
  for (let k = 0; k < K; k++) coef[k] = peaks.weight[k]! / norm;
  return coef;
}

/** The active Shirley density at x from its coefficients (shirleyCoefficients). */
export function shirleyDensity(x: number, peaks: StepPeaks, coef: Float64Array, sign: 1 | -1): number {
  let f = 0;
  for (let k = 0; k < coef.length; k++)
    if (coef[k]! > 0) f += coef[k]! * normalCdf((sign * (x - peaks.position[k]!)) / peaks.sigma[k]!);
  return f;
}

// ---- Kind 'tougaard': Tougaard's background of each spectrum's own counts, derived once per
// spectrum before the EM; its M-step is its weight

/** Widths of the channels of an energy axis (half the distance to each neighbour, outer ones mirrored). */
export function channelWidths(energy: ArrayLike<number>): Float64Array {
  const n = energy.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? Math.abs(energy[i]! - energy[i - 1]!) : Math.abs(energy[1]! - energy[0]!);
    const right = i < n - 1 ? Math.abs(energy[i + 1]! - energy[i]!) : Math.abs(energy[n - 1]! - energy[n - 2]!);
    w[i] = (left + right) / 2;
  }
  return w;
}

/** Tougaard's universal loss constant C (eV^2): K(T) = T / (C + T^2)^2 (METHODS.md §2). */
export const TOUGAARD_C = 1643;

/** Tougaard's universal inelastic loss kernel at energy loss T > 0 (C in the axis' units squared). */
export function tougaardKernel(T: number, C: number): number {
  const d = C + T * T;
  return T / (d * d);
}

/** The Tougaard background of a measured spectrum as a density over the window: per channel
 * t_n = sum_m K(T_nm) y_m over the channels on its loss side, T_nm = sign (x_n - x_m) > 0 (sign +1:
 * losses appear at higher x, a binding-energy axis; -1: at lower x, kinetic energy), normalised so
 * that sum_n t_n width_n = 1 (the midpoint rule over the window, as the analytic densities satisfy).
 * y_m are counts per channel, i.e. the spectral density times the channel width, so sum_m K y_m is
 * the quadrature of integral K(T) j(E') dE' on any axis. All zero when nothing lies on any channel's
 * loss side (e.g. every count in the channel at the far end): the component then has no density and
 * EM gives it weight 0. `widths` defaults to channelWidths(energy). */
export function tougaardTemplate(
  energy: ArrayLike<number>,
  y: ArrayLike<number>,
  sign: 1 | -1,
  C: number,
  widths: ArrayLike<number> = channelWidths(energy),
): Float64Array {
  const n = energy.length;
  const t = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const xi = energy[i]!;
    let s = 0;
    for (let m = 0; m < n; m++) {
      const T = sign * (xi - energy[m]!);
      const ym = y[m]!;
      if (T > 0 && ym > 0) s += tougaardKernel(T, C) * ym;
    }
    t[i] = s;
    norm += s * widths[i]!;
  }
  if (!(norm > 0 && Number.isFinite(norm))) return t.fill(0);
  for (let i = 0; i < n; i++) t[i]! /= norm;
  return t;
}
