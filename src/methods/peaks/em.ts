// One spectrum's EM in float64: the E-step (sufficient statistics and log-likelihood) and the
// closed-form M-step. This is the specification the WGSL kernels (kernels/peaks/estep.wgsl, mstep.wgsl,
// converge.wgsl) follow; each component kind's own formulas are in components.ts.
//
// Parameters: each position group g (a peak and the doublet partners linked to it) has one
// position mu_g; peak k sits at c_k = mu_g + offset_k. Each width group (all peaks when
// sharedWidth, else a position group) has one sigma. Weights pi over peaks then backgrounds.
//
// M-step, for Gaussians truncated to the window [lo, hi] (a = (lo - c)/s, b = (hi - c)/s,
// Z = Phi(b) - Phi(a), dm = (phi(a) - phi(b))/Z, dv = (a phi(a) - b phi(b))/Z, all at the current
// parameters): the stationary equations of Q are
//   sum_k in g [A_k - s N_k dm_k] = N_g (mu' - mu)           (position, pooled over the group)
//   sum_k in W [B_k(mu')] = s'^2 sum_k in W N_k (1 + dv_k)   (width, pooled over the width group)
// with N_k = sum_n w_nk, A_k = sum_n w_nk (x_n - c_k), B_k(mu') = sum_n w_nk (x_n - c_k')^2.
// With the window terms taken at the current parameters each update is closed-form, and the
// fixed point of the iteration solves the exact truncated-likelihood equations; for peaks well
// inside the window dm = dv = 0 and this is the textbook Gaussian-mixture M-step. Weights:
// pi_k = (ratio_k / R_g) N_g / T for peaks (R_g = sum of ratios in the group), pi_b = N_b / T.
//
// The active Shirley component (model.ts 'shirley' / 'shirleyKE') is a background whose density is
// re-derived in every E-step from the parameters of that E-step: f_S(x) = sum_k pi_k Phi(s (x - c_k)/s_k)
// normalised over the window (components.ts shirleyCoefficients). Its weight is a background weight
// (pi_S = N_S / T); the peaks' M-step above treats f_S as fixed and does not differentiate through
// it (an ECM-style approximation), so the iteration no longer increases the log-likelihood at every
// step: fitSpectrum's convergence rule allows for that.
//
// The Tougaard component ('tougaard' / 'tougaardKE') is a background with a fixed density like the
// linear ones, but one per spectrum: Tougaard's integral of that spectrum's own counts, normalised
// over the window (components.ts tougaardTemplate), derived once before the EM (spectrumAxis).

import {
  addGaussianStats,
  backgroundDensity,
  channelWidths,
  gaussianLogCoef,
  gaussianMStep,
  gaussWindow,
  shirleyCoefficients,
  shirleyDensity,
  tougaardTemplate,
  type WindowTerms,
} from './components.js';
import {
  shirleyOf,
  tougaardOf,
  type LinearBackground,
  type PeakParams,
  type ResolvedPeaks,
  type SpectrumFit,
} from './model.js';

/** Denominator clamp, the same as the float32 kernel's. */
export const TINY = 1e-30;

export interface EStats {
  /** Per peak: sum w, sum w (x - c), sum w (x - c)^2. */
  N: Float64Array;
  A: Float64Array;
  B: Float64Array;
  /** Per background component: sum w. */
  Nb: Float64Array;
  loglik: number;
  /** sum_n (y_n (|l_n + log(L/2)| + 1))^2, l_n = log sum_k pi_k f_k(x_n) (+ log(L/2): on the kernel's scaled axis):
   * the scale of the float32 rounding of the channel's log mixture (model.ts llFloor). */
  roundScale2: number;
}

/** The model's fixed per-channel quantities for one energy axis. */
export interface Axis {
  x: Float64Array;
  /** Channel widths (components.ts channelWidths). */
  width: Float64Array;
  /** log f_b(x_n) per background component, [B][C]. Empty for the Shirley component (it follows the
   * peaks) and, until spectrumAxis fills it for one spectrum, for the Tougaard component. */
  logBg: Float64Array[];
}

export function makeAxis(m: ResolvedPeaks, energy: ArrayLike<number>): Axis {
  const x = Float64Array.from(energy as ArrayLike<number>);
  const logBg = m.components
    .filter((c) => c.role === 'background')
    .map((c) =>
      c.kind === 'linear'
        ? x.map((xn) => Math.log(backgroundDensity(c.name as LinearBackground, xn, m.window)))
        : new Float64Array(0),
    );
  return { x, width: channelWidths(x), logBg };
}

/** The axis for one spectrum y: with a Tougaard component, its row of logBg holds the log of y's own
 * Tougaard density (-Infinity where it is 0: that term then weighs 0); without one, the axis itself. */
export function spectrumAxis(m: ResolvedPeaks, axis: Axis, y: ArrayLike<number>): Axis {
  const t = tougaardOf(m);
  if (!t) return axis;
  const logBg = axis.logBg.slice();
  logBg[t.index] = tougaardTemplate(axis.x, y, t.sign, m.tougaardC, axis.width).map((v) => Math.log(v));
  return { ...axis, logBg };
}

/** How far (as a multiple of the stopping threshold) the log-likelihood may drop in one iteration and
 * still count as converged when a Shirley component is active (fitSpectrum). */
export const SHIRLEY_DROP_FACTOR = 4;

export function windowTerms(m: ResolvedPeaks, p: PeakParams): WindowTerms[] {
  return p.position.map((c, k) => gaussWindow(c, p.sigma[k]!, m.window));
}

/** E-step at parameters p: sufficient statistics and the log-likelihood of p. */
export function eStep(m: ResolvedPeaks, axis: Axis, y: ArrayLike<number>, p: PeakParams, wt: WindowTerms[]): EStats {
  const K = m.K;
  const nb = m.background.length;
  const nc = K + nb;
  const coef = new Float64Array(nc);
  for (let k = 0; k < K; k++) coef[k] = gaussianLogCoef(p.weight[k]!, p.sigma[k]!, wt[k]!, TINY);
  for (let b = 0; b < nb; b++) coef[K + b] = Math.log(Math.max(p.weight[K + b]!, TINY));
  const st: EStats = {
    N: new Float64Array(K),
    A: new Float64Array(K),
    B: new Float64Array(K),
    Nb: new Float64Array(nb),
    loglik: 0,
    roundScale2: 0,
  };
  const logHalfL = Math.log((m.window.hi - m.window.lo) / 2);
  const t = new Float64Array(nc);
  // The Shirley density of these parameters: f_S(x) = sum_k stepCoef_k Phi(s (x - c_k) / s_k).
  const shirley = shirleyOf(m);
  const stepCoef = shirley ? shirleyCoefficients(p, K, shirley.sign, m.window) : null;
  const tougaard = tougaardOf(m);
  if (tougaard && axis.logBg[tougaard.index]!.length !== axis.x.length)
    throw new Error('eStep: the Tougaard density is missing (use spectrumAxis for the spectrum)');
  for (let n = 0; n < axis.x.length; n++) {
    const yn = y[n]!;
    if (yn === 0) continue;
    const xn = axis.x[n]!;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) {
      const z = (xn - p.position[k]!) / p.sigma[k]!;
      t[k] = coef[k]! - 0.5 * z * z;
      mx = Math.max(mx, t[k]!);
    }
    for (let b = 0; b < nb; b++) {
      if (shirley && b === shirley.index) {
        // -Infinity where f_S = 0: the term is 0.
        t[K + b] = coef[K + b]! + Math.log(shirleyDensity(xn, p, stepCoef!, shirley.sign));
      } else t[K + b] = coef[K + b]! + axis.logBg[b]![n]!;
      mx = Math.max(mx, t[K + b]!);
    }
    let s = 0;
    for (let j = 0; j < nc; j++) s += t[j] = Math.exp(t[j]! - mx);
    const lm = mx + Math.log(s);
    st.loglik += yn * lm;
    const r = yn * (Math.abs(lm + logHalfL) + 1);
    st.roundScale2 += r * r;
    const q = yn / s;
    for (let k = 0; k < K; k++) addGaussianStats(st, k, t[k]! * q, xn - p.position[k]!);
    for (let b = 0; b < nb; b++) st.Nb[b] += t[K + b]! * q;
  }
  return st;
}

/** Closed-form M-step (see the header): the peaks' positions and widths from their kind
 * (components.ts gaussianMStep), then the weights; total = sum_n y_n. */
export function mStep(m: ResolvedPeaks, p: PeakParams, wt: WindowTerms[], st: EStats, total: number): PeakParams {
  const { position, sigma, groupN } = gaussianMStep(m, p, wt, st, TINY);
  const R = new Float64Array(m.groupBase.length);
  for (let k = 0; k < m.K; k++) R[m.group[k]!] += m.ratio[k]!;
  const inv = 1 / Math.max(total, TINY);
  const weight = [
    ...m.group.map((g, k) => (m.ratio[k]! / R[g]!) * groupN[g]! * inv),
    ...Array.from(st.Nb, (n) => n * inv),
  ];
  return { position, sigma, weight };
}

/** Whether a fit that changed the log-likelihood by `change` (against the stopping threshold `limit`)
 * in M-step `it` has converged. Exact EM never lowers the log-likelihood, so after the first M-step
 * (whose start may break the clamps and bounds) any drop is rounding noise (e.g. a float32 state
 * 2-cycling just above the floor) and counts as converged. With an active Shirley component the
 * step's shape moves with the peaks after their M-step, so the iteration may lower the
 * log-likelihood for real (it can approach its fixed point from above): there only a drop within
 * SHIRLEY_DROP_FACTOR x limit counts (a 2-cycle near the floor, or the tail of such a descent),
 * and a larger one iterates on. The WGSL kernels apply the same rule (converge.wgsl em_advance). */
export function hasConverged(it: number, change: number, limit: number, shirley: boolean): boolean {
  if (it === 0) return false;
  if (Math.abs(change) <= limit) return true;
  if (it > 1 && change < 0) return !shirley || -change <= SHIRLEY_DROP_FACTOR * limit;
  return false;
}

/** EM on one spectrum (with its own Tougaard density, spectrumAxis) from `start` until the log-likelihood change is <= max(tol |LL|, llFloor x
 * rounding scale) (model.ts), or the log-likelihood drops after the first M-step (hasConverged), or
 * maxIterations M-steps. The returned parameters are those whose log-likelihood is reported. */
export function fitSpectrum(
  m: ResolvedPeaks,
  shared: Axis,
  y: ArrayLike<number>,
  start: PeakParams,
  maxIterations = m.maxIterations,
): SpectrumFit {
  const axis = spectrumAxis(m, shared, y);
  let total = 0;
  for (let n = 0; n < axis.x.length; n++) total += y[n]!;
  const shirley = shirleyOf(m) !== null;
  let p = start;
  let prev = NaN;
  for (let it = 0; ; it++) {
    const wt = windowTerms(m, p);
    const st = eStep(m, axis, y, p, wt);
    const limit = Math.max(m.tol * Math.abs(st.loglik), m.llFloor * Math.sqrt(st.roundScale2));
    if (hasConverged(it, st.loglik - prev, limit, shirley))
      return { params: p, loglik: st.loglik, iterations: it, converged: true };
    if (it === maxIterations) return { params: p, loglik: st.loglik, iterations: it, converged: false };
    prev = st.loglik;
    p = mStep(m, p, wt, st, total);
  }
}
