// The component densities of the EM peak model, in float64: the Gaussian truncated to the measured
// window and the linear background components. The GPU kernel (kernels/peaks/) evaluates the same
// formulas in float32; these are the reference.

import type { BackgroundComponent, EnergyWindow } from './model.js';

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

/** A background component's density at x (per energy unit), normalised over the window. */
export function backgroundDensity(kind: BackgroundComponent, x: number, w: EnergyWindow): number {
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
