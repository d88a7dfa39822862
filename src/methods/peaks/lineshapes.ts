// The component densities of the EM peak model, in float64: the Gaussian truncated to the measured
// window, the linear background components and the active Shirley step. The GPU kernel
// (kernels/peaks/) evaluates the same formulas in float32; these are the reference.

import type { EnergyWindow, LinearBackground } from './model.js';

const SQRT2 = Math.SQRT2;
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) to ~1e-15: the all-positive series erf x = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1))
 * (no cancellation), and +-1 past |x| = 6 where 1 - erf < 3e-17. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x);
  const x2 = a * a;
  let term = a;
  let sum = a;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

// W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 631 (1969); the coefficients of
// his CALERF): erf on |x| <= 0.46875, erfc on (0.46875, 4] and beyond 4, each to ~1e-16 relative
// with a few multiply-adds (the Shirley step evaluates one per channel and peak). The literals are
// Cody's as printed, a few digits past double precision.
/* eslint-disable no-loss-of-precision */
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const ERFC_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const ERFC_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const ERFC_P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4,
  0.0163153871373020978,
];
const ERFC_Q = [
  2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185,
];
const INV_SQRT_PI = 0.56418958354775628695;
/* eslint-enable no-loss-of-precision */

/** exp(-y^2) with y^2 split at a multiple of 1/16, so that the rounding of y·y does not reach the result (Cody). */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** erfc(x) to ~1e-16 relative (Cody's rational approximations); 2 - erfc(-x) for x < 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let r: number;
  if (y <= 0.46875) {
    const ysq = y * y;
    let num = ERF_A[4]! * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]!) * ysq;
      den = (den + ERF_B[i]!) * ysq;
    }
    return 1 - (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
  } else if (y <= 4) {
    let num = ERFC_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]!) * y;
      den = (den + ERFC_D[i]!) * y;
    }
    r = ((num + ERFC_C[7]!) / (den + ERFC_D[7]!)) * expMinusSquare(y);
  } else if (y > 27) {
    r = 0; // e^{-729} underflows
  } else {
    const isq = 1 / (y * y);
    let num = ERFC_P[5]! * isq;
    let den = isq;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]!) * isq;
      den = (den + ERFC_Q[i]!) * isq;
    }
    r = ((INV_SQRT_PI - (isq * (num + ERFC_P[4]!)) / (den + ERFC_Q[4]!)) / y) * expMinusSquare(y);
  }
  return x < 0 ? 2 - r : r;
}

/** Standard normal distribution function Phi(z), accurate in both tails. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** The antiderivative of Phi: G(z) = z Phi(z) + phi(z) (G' = Phi, G(-inf) = 0). For z > 0 through
 * G(z) = z + G(-z), which keeps the small tail term exact. */
export function normalCdfIntegral(z: number): number {
  if (z > 0) return z + normalCdfIntegral(-z);
  return z * normalCdf(z) + phi(z);
}

/** Standard normal density. */
export function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

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
