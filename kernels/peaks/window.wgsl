// A Gaussian truncated to the window [lo, hi], in float32: its mass inside and the M-step's
// truncation corrections (src/methods/peaks/components.ts gaussWindow is the float64 reference);
// and the window mass of the smoothed step of the active Shirley component.

const INV_SQRT2: f32 = 0.70710678;
const INV_SQRT_2PI: f32 = 0.39894228;

// erfc(x) for x >= 0, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
const AS_P: f32 = 0.3275911;
const AS_A1: f32 = 0.254829592;
const AS_A2: f32 = -0.284496736;
const AS_A3: f32 = 1.421413741;
const AS_A4: f32 = -1.453152027;
const AS_A5: f32 = 1.061405429;

fn erfc_pos(x: f32) -> f32 {
  let t = 1.0 / (1.0 + AS_P * x);
  let poly = t * (AS_A1 + t * (AS_A2 + t * (AS_A3 + t * (AS_A4 + t * AS_A5))));
  return poly * exp(-x * x);
}

// The antiderivative of the normal distribution function, G(z) = z Phi(z) + phi(z), through
// G(z) = z + G(-z) for z > 0 so that the tail term stays small and exact.
fn normal_cdf_integral(z: f32) -> f32 {
  let t = -abs(z);
  let tail = t * 0.5 * erfc_pos(-t * INV_SQRT2) + INV_SQRT_2PI * exp(-0.5 * t * t);
  return select(tail, z + tail, z > 0.0);
}

// integral over [lo, hi] of Phi(sign (x - c)/s): one peak's smoothed step (src/methods/peaks/components.ts stepMass).
fn step_mass(c: f32, s: f32, sign: f32, lo: f32, hi: f32) -> f32 {
  let a = sign * (lo - c) / s;
  let b = sign * (hi - c) / s;
  return s * sign * (normal_cdf_integral(b) - normal_cdf_integral(a));
}

// Mass of the standard normal between a and b (a < b), by tails so that it stays accurate
// when the interval covers the centre (the usual case: Z close to 1).
fn normal_mass(a: f32, b: f32) -> f32 {
  if (a >= 0.0) {
    return 0.5 * (erfc_pos(a * INV_SQRT2) - erfc_pos(b * INV_SQRT2));
  }
  if (b <= 0.0) {
    return 0.5 * (erfc_pos(-b * INV_SQRT2) - erfc_pos(-a * INV_SQRT2));
  }
  return 1.0 - 0.5 * (erfc_pos(b * INV_SQRT2) + erfc_pos(-a * INV_SQRT2));
}

struct WindowTerms {
  log_z: f32,
  // (phi(a) - phi(b)) / Z: the truncated mean's shift in units of sigma.
  dm: f32,
  // (a phi(a) - b phi(b)) / Z: the truncated variance is sigma^2 (1 + dv - dm^2).
  dv: f32,
}

fn gauss_window(c: f32, s: f32, lo: f32, hi: f32) -> WindowTerms {
  let a = (lo - c) / s;
  let b = (hi - c) / s;
  let z = max(normal_mass(a, b), 1e-30);
  let pa = INV_SQRT_2PI * exp(-0.5 * a * a);
  let pb = INV_SQRT_2PI * exp(-0.5 * b * b);
  return WindowTerms(log(z), (pa - pb) / z, (a * pa - b * pb) / z);
}
