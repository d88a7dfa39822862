// #import peaks/lanes
// #import peaks/window
// #import peaks/layout
// The E-step of both EM kernels: one channel range's sufficient statistics and log-likelihood
// (estep), and the E-step's view of the current parameters (derive). Each component kind's terms
// are marked by kind: the Gaussian peaks' lanes, the linear backgrounds' multiply-add, the active
// Shirley step (SHIRLEY) and the Tougaard density (TOUGAARD); src/methods/peaks/components.ts holds
// the float64 formulas of each.
//
// Needs the defines of peaks/layout and LINEAR (bool: the E-step in linear space, for models with
// a background), UNIFORM_X (bool: the axis is x'_n = x'_0 + n h', computed instead of loaded; the
// host sets it only with LINEAR), SHIRLEY (bool: one background component is the active Shirley
// step; only with LINEAR), SH_B (u32: its background index b), SH_SIGN (f32: +1 when the step
// rises towards higher x, -1 towards lower x), TOUGAARD (bool: one background component is the
// pixel's Tougaard density, which kernels/peaks/tougaard.wgsl wrote into the second half of
// lm_prev; only with LINEAR), TG_B (u32: its background index b); the libs peaks/lanes (PL, BL,
// written by the host: src/methods/peaks/gpu.ts lanesLib) and peaks/window.

// The E-step works on vectors in named variables, peaks and backgrounds apart: the peaks in
// lane groups of type PL (vec2f when K <= 2, else vec4f; group 1 holds peaks 4-7 when K > 4),
// the NB background components in one group of type BL (vec2f when NB <= 2, else vec4f). PL, BL
// and their helpers come from the host-written lib peaks/lanes (src/methods/peaks/gpu.ts
// lanesLib). No arrays or pointers in the channel loop: a software backend (SwiftShader) keeps
// small dynamically indexed arrays in memory, which makes the loop several times slower; and it pays every
// lane of a vector operation, so no lane carries work it does not need (a background lane needs
// no Gaussian, a peak lane no density line).
// Peaks, in log space (no background):
//   log term t = coef - (x - pos)^2 inv^2 / 2,
// coef = log pi - log sigma - log sqrt(2 pi) - log Z, summed as m + log sum exp(t - m), m the
// largest. In linear space (LINEAR: a background is present, so the mixture stays far above
// float32's underflow wherever a channel can have counts):
//   peak term t = exp(coef - (x - pos)^2 inv^2 / 2),  background term pi_b (alpha_b + beta_b x),
// the latter as one multiply-add with the coefficients bga = pi_b alpha_b and bgb = pi_b beta_b,
// and the mixture sum clamped at 1e-30 before its log. Unused peak lanes carry a coefficient of
// -1e30 (0 in linear form) and unused background lanes 0, so they weigh exactly 0.
// With SHIRLEY the peak coefficients are held as exp(coef) and the Gaussian factor g =
// exp(-z^2/2) is computed on its own, t = exp(coef) g, because the step needs g too:
// Phi(-|z|) = erfc(|z|/sqrt 2)/2 = A&S poly(|z|/sqrt 2) g / 2 costs no further exp. The step's term
// pi_S f_S(x) = sum_k e_sh_k Phi(SH_SIGN z_k) (e_sh_k = pi_S pi_k / window mass of the step) is
// background lane SH_B (whose own bga = bgb = 0). With TOUGAARD, background lane TG_B (bga = pi_T,
// bgb = 0) is multiplied by the pixel's Tougaard density at the channel.

// The coefficient of an unused peak lane (log form): its term is exactly 0.
const OFF_LANE: f32 = -1e30;

// The E-step's view of the parameters per peak lane group: centre, 1/sigma, coefficient (log, or
// linear with SHIRLEY); the background coefficients; SHIRLEY: the step's coefficient per peak.
var<private> e_pos0: PL;
var<private> e_inv0: PL;
var<private> e_coef0: PL;
var<private> e_pos1: PL;
var<private> e_inv1: PL;
var<private> e_coef1: PL;
var<private> e_bga: BL;
var<private> e_bgb: BL;
var<private> e_sh0: PL;
var<private> e_sh1: PL;
// One thread's partial sums of an E-step, per peak lane group: sum w, sum w d, sum w d^2 (d = x - pos);
// per background lane sum w.
struct Acc {
  n0: PL,
  a0: PL,
  b0: PL,
  n1: PL,
  a1: PL,
  b1: PL,
  nb: BL,
  ll: f32,
  dll: f32,
  sq: f32,
}

// Phi(SH_SIGN z) per lane, from z and g = exp(-z^2/2): A&S 7.1.26 (window.wgsl erfc_pos) with the
// Gaussian factor given.
fn step_cdf(z: PL, g: PL) -> PL {
  let x = abs(z) * INV_SQRT2;
  let t = 1.0 / (1.0 + AS_P * x);
  let tail = 0.5 * t * (AS_A1 + t * (AS_A2 + t * (AS_A3 + t * (AS_A4 + t * AS_A5)))) * g;
  return select(tail, 1.0 - tail, SH_SIGN * z >= PL(0.0));
}

// Peak j's value from two lane groups.
fn pick(v0: PL, v1: PL, j: u32) -> f32 {
  if (j < 4u) {
    return v0[j];
  }
  return v1[j - 4u];
}

// Lane l of the partial sums (the order of `sums`).
fn acc_lane(acc: Acc, l: u32) -> f32 {
  if (l < L_A) {
    return pick(acc.n0, acc.n1, l);
  }
  if (l < L_B) {
    return pick(acc.a0, acc.a1, l - L_A);
  }
  if (l < L_NB) {
    return pick(acc.b0, acc.b1, l - L_B);
  }
  if (l < L_LL) {
    return acc.nb[l - L_NB];
  }
  if (l == L_LL) {
    return acc.ll;
  }
  if (l == L_DLL) {
    return acc.dll;
  }
  return acc.sq;
}

// The E-step over channels n = first, first + step, ... < C of one pixel whose channel n sits
// at index base + n * stride of `counts` and `lm_prev`. Branch-free: a channel without counts
// adds exactly 0 to every sum (y = 0 weighs every term; its log mix stays finite), and a test to
// skip it costs more on SwiftShader, which runs both sides of a divergent branch.
fn estep(first: u32, step: u32, base: u32, stride: u32) -> Acc {
  let p0 = e_pos0;
  let i0 = e_inv0;
  let c0 = e_coef0;
  let p1 = e_pos1;
  let i1 = e_inv1;
  let c1 = e_coef1;
  let bga = e_bga;
  let bgb = e_bgb;
  let x0 = model[M_X0];
  let xh = model[M_XH];
  var r = Acc();
  for (var n = first; n < C; n += step) {
    let at = base + n * stride;
    let y = counts[at];
    var xs: f32;
    if (UNIFORM_X) {
      xs = fma(f32(n), xh, x0);
    } else {
      xs = axis[n * AX + CV].x;
    }
    let x = PL(xs);
    let d0 = x - p0;
    let z0 = d0 * i0;
    var d1 = PL(0.0);
    var t1 = PL(0.0);
    var t0: PL;
    var tb = BL(0.0);
    var s: f32;
    var lm: f32;
    if (LINEAR) {
      // Component kind 'linear' (uniform, rampUp, rampDown): pi_b (alpha_b + beta_b x).
      tb = fma(bgb, BL(xs), bga);
      if (SHIRLEY) {
        // Kind 'gaussian' with kind 'shirley': the step reuses each peak's Gaussian factor.
        let g0 = exp(-0.5 * z0 * z0);
        t0 = c0 * g0;
        var ts = dot(e_sh0, step_cdf(z0, g0));
        if (K > 4u) {
          d1 = x - p1;
          let z1 = d1 * i1;
          let g1 = exp(-0.5 * z1 * z1);
          t1 = c1 * g1;
          ts += dot(e_sh1, step_cdf(z1, g1));
        }
        tb[SH_B] = ts;
      } else {
        // Kind 'gaussian'.
        t0 = exp(c0 - 0.5 * z0 * z0);
        if (K > 4u) {
          d1 = x - p1;
          let z1 = d1 * i1;
          t1 = exp(c1 - 0.5 * z1 * z1);
        }
      }
      // Kind 'tougaard': the pixel's own density, written before the EM.
      if (TOUGAARD) {
        tb[TG_B] *= lm_prev[at + ctl.npix * C];
      }
      s = dot(t0, PL(1.0)) + dot(tb, BL(1.0));
      if (K > 4u) {
        s += dot(t1, PL(1.0));
      }
      s = max(s, TINY);
      lm = log(s);
    } else {
      // Kind 'gaussian' alone, in log space.
      t0 = c0 - 0.5 * z0 * z0;
      var mx = pl_max(t0);
      if (K > 4u) {
        d1 = x - p1;
        let z1 = d1 * i1;
        t1 = c1 - 0.5 * z1 * z1;
        mx = max(mx, pl_max(t1));
      }
      t0 = exp(t0 - PL(mx));
      s = dot(t0, PL(1.0));
      if (K > 4u) {
        t1 = exp(t1 - PL(mx));
        s += dot(t1, PL(1.0));
      }
      lm = mx + log(s);
    }
    r.ll += y * lm;
    r.dll += y * (lm - lm_prev[at]);
    lm_prev[at] = lm;
    let yerr = y * (abs(lm) + 1.0);
    r.sq += yerr * yerr;
    let q = y / s;
    let w0 = t0 * q;
    let wd0 = w0 * d0;
    r.n0 += w0;
    r.a0 += wd0;
    r.b0 += wd0 * d0;
    if (K > 4u) {
      let w1 = t1 * q;
      let wd1 = w1 * d1;
      r.n1 += w1;
      r.a1 += wd1;
      r.b1 += wd1 * d1;
    }
    if (LINEAR) {
      r.nb += tb * q;
    }
  }
  return r;
}

// Window terms and E-step coefficients of the current parameters.
fn derive() {
  var pos = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var inv = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var coef = array<f32, 8>(OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE);
  for (var k = 0u; k < K; k++) {
    let s = p_sig[k];
    let wt = gauss_window(p_pos[k], s, model[M_LO], model[M_HI]);
    p_dm[k] = wt.dm;
    p_dv[k] = wt.dv;
    pos[k] = p_pos[k];
    inv[k] = 1.0 / s;
    coef[k] = log(max(p_wt[k], TINY)) - log(s) - LOG_SQRT_2PI - wt.log_z;
  }
  if (LINEAR) {
    // pi_b (alpha_b + beta_b x'): the background densities of the model buffer times their weights.
    var bga = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
    var bgb = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
    for (var b = 0u; b < NB; b++) {
      let w = max(p_wt[K + b], TINY);
      bga[b] = w * model[M_BGA + b];
      bgb[b] = w * model[M_BGB + b];
    }
    e_bga = bl_from(bga);
    e_bgb = bl_from(bgb);
  }
  if (SHIRLEY) {
    // The step of these parameters, normalised over the window (em.ts eStep, components.ts
    // shirleyCoefficients); the E-step takes the coefficients in linear form.
    var norm = 0.0;
    for (var k = 0u; k < K; k++) {
      norm += p_wt[k] * step_mass(p_pos[k], p_sig[k], SH_SIGN, model[M_LO], model[M_HI]);
    }
    var sh = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    if (norm > TINY) {
      // (min: the index must be in range even where SHIRLEY is false and SH_B inert.)
      let scale = p_wt[min(K + SH_B, NC - 1u)] / norm;
      for (var k = 0u; k < K; k++) {
        sh[k] = p_wt[k] * scale;
      }
    }
    e_sh0 = pl_from(sh, 0u);
    e_sh1 = pl_from(sh, 1u);
    for (var j = 0u; j < 8u; j++) {
      coef[j] = exp(coef[j]);
    }
  }
  e_pos0 = pl_from(pos, 0u);
  e_inv0 = pl_from(inv, 0u);
  e_coef0 = pl_from(coef, 0u);
  e_pos1 = pl_from(pos, 1u);
  e_inv1 = pl_from(inv, 1u);
  e_coef1 = pl_from(coef, 1u);
}
