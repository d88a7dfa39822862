// Special functions in float64, shared by the peak model (methods/peaks/components.ts) and the
// synthetic data (data/synth): erf, erfc, the normal distribution function and its antiderivative,
// the normal density. The WGSL kernels use float32 approximations (kernels/peaks/window.wgsl).

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
