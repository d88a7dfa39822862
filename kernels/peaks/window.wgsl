// A Gaussian truncated to the window [lo, hi], in float32: its mass inside and the M-step's
// truncation corrections (src/methods/peaks/lineshapes.ts gaussWindow is the float64 reference).

const INV_SQRT2: f32 = 0.70710678;
const INV_SQRT_2PI: f32 = 0.39894228;

// erfc(x) for x >= 0, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
fn erfc_pos(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * x);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return poly * exp(-x * x);
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
