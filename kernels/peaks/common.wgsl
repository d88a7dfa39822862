// What both EM kernels share (em_pixel.wgsl: one thread per pixel; em_workgroup.wgsl: one
// workgroup per pixel): the state and model layouts, one channel's E-step, the convergence test
// and the closed-form M-step. The float64 reference is src/methods/peaks/em.ts; this follows it
// step by step on a centred and scaled axis x' = (x - centre) / scale (densities scaled to match).
//
// Needs the defines K (peaks, at most 8), NB (background components, at most 4), G (position
// groups), NW (width groups), C (channels), LINEAR (bool: the E-step in linear space, for models
// with a background), UNIFORM_X (bool: the axis is x'_n = x'_0 + n h', computed instead of loaded;
// the host sets it only with LINEAR), SHIRLEY (bool: one background component is the active
// Shirley step; only with LINEAR), SH_LANE (u32: its lane K + b), SH_SIGN (f32: +1 when the step
// rises towards higher x, -1 towards lower x), SHIRLEY_DROP (f32: em.ts SHIRLEY_DROP_FACTOR),
// TOUGAARD (bool: one background component is the pixel's Tougaard density, which
// kernels/peaks/tougaard.wgsl wrote into the second half of lm_prev; only with LINEAR), TG_LANE
// (u32: its lane K + b), and the libs peaks/window and peaks/ctl (the control block Ctl).

// counts and lm_prev (the previous iteration's log mix per channel) hold the chunk's pixels:
// channel-major [C][npix] for em_pixel, pixel-major [npix][C] for em_workgroup. With TOUGAARD,
// lm_prev is twice as long: its second half (offset npix * C, same layout) holds each pixel's
// Tougaard density f'_T(x_n) per scaled unit (8 storage buffers are bound already, the default limit).
@group(0) @binding(0) var<storage, read> counts: array<f32>;
// Per channel AX vec4s: log f_b'(x_n) in each background component's lane, then (x'_n, 0, 0, 0).
// The linear-space E-step reads only x'_n, and with UNIFORM_X not even that.
// Sized at compile time: SwiftShader then bounds-checks against a constant (~8 % faster).
@group(0) @binding(1) var<storage, read> axis: array<vec4f, C * AX>;
@group(0) @binding(2) var<storage, read> model: array<f32>;
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> lm_prev: array<f32>;
// The pixels (chunk indices) to iterate, and those still running afterwards (running[0] counts them).
@group(0) @binding(5) var<storage, read> live_pixels: array<u32>;
@group(0) @binding(6) var<storage, read_write> next_live: array<u32>;
@group(0) @binding(7) var<storage, read_write> running: array<atomic<u32>>;
@group(0) @binding(8) var<uniform> ctl: Ctl;

const NC: u32 = K + NB;
// Per-pixel state: positions, sigmas, weights, LL of the last E-step, M-steps done, status,
// total counts (written by the host).
const STATE: u32 = 3u * K + NB + 4u;
const S_SIG: u32 = K;
const S_W: u32 = 2u * K;
const S_LL: u32 = 3u * K + NB;
const S_IT: u32 = S_LL + 1u;
const S_STATUS: u32 = S_LL + 2u;
const S_TOTAL: u32 = S_LL + 3u;
const ST_RUNNING: f32 = 0.0;
const ST_CONVERGED: f32 = 1.0;
const ST_MAXITER: f32 = 2.0;
// Model buffer layout (src/methods/peaks/gpu.ts modelBuffer).
const M_LO: u32 = 0u;
const M_HI: u32 = 1u;
const M_SLO: u32 = 2u;
const M_SHI: u32 = 3u;
const M_TOL: u32 = 4u;
const M_LOGSCALE: u32 = 5u;
const M_MAXIT: u32 = 6u;
const M_FLOOR: u32 = 7u;
const M_OFF: u32 = 8u;
const M_RFRAC: u32 = 8u + K;
const M_GROUP: u32 = 8u + 2u * K;
const M_WGROUP: u32 = 8u + 3u * K;
const M_FIXED: u32 = 8u + 4u * K;
const M_BLO: u32 = M_FIXED + G;
const M_BHI: u32 = M_FIXED + 2u * G;
// The uniform axis x'_n = M_X0 + n M_XH (used with UNIFORM_X), then per background component its
// density on the scaled axis, alpha + beta x' (linear for every component).
const M_X0: u32 = M_FIXED + 3u * G;
const M_XH: u32 = M_X0 + 1u;
const M_BGA: u32 = M_X0 + 2u;
const M_BGB: u32 = M_BGA + NB;
// The E-step's sums: N_k, A_k = sum w (x - c_k), B_k = sum w (x - c_k)^2 per peak; N_b per
// background; LL = sum y log mix; dLL = sum y (log mix - previous log mix), channel by channel,
// which float32 resolves far below the rounding of LL itself; and sum (y (|log mix| + 1))^2, the scale
// of the float32 rounding of the log mix terms (|log mix| + 1 ulps), for the convergence floor
// (model.ts llFloor; em.ts computes the same in float64).
const LANES: u32 = 3u * K + NB + 3u;
const L_A: u32 = K;
const L_B: u32 = 2u * K;
const L_NB: u32 = 3u * K;
const L_LL: u32 = 3u * K + NB;
const L_DLL: u32 = L_LL + 1u;
const L_SQ: u32 = L_LL + 2u;
const TINY: f32 = 1e-30;
const MIN_VAR_FACTOR: f32 = 1e-6;
const LOG_SQRT_2PI: f32 = 0.91893853;

// The E-step works on vec4s in named variables: the NC = K + NB components in CV = ceil(NC / 4)
// groups of four lanes (peaks first, then backgrounds; NC <= 12). No arrays or pointers in the
// channel loop: a software backend (SwiftShader) keeps small dynamically indexed arrays in memory,
// which made the loop ~5x slower. One formula serves every lane. In log space (no background):
//   log term t = coef + lb(x) - (x - pos)^2 inv^2 / 2,
// with lb = log f_b(x) (from `axis`) and inv = 0 on background lanes, lb = 0 on peak lanes, summed
// as m + log sum exp(t - m), m the largest. In linear space (LINEAR: a background is present, so
// the mixture stays far above float32's underflow wherever a channel can have counts):
//   term t = exp(coef - (x - pos)^2 inv^2 / 2) (alpha + beta x),
// with alpha + beta x the background density (alpha = 1, beta = 0 on peak lanes): no per-channel
// loads of log densities, no maximum, and the mixture sum is clamped at 1e-30 before its log.
// Unused lanes carry a coefficient of -1e30, so they weigh exactly 0.
// With SHIRLEY the coefficients are held as exp(coef) and the Gaussian factor g = exp(-z^2/2) is
// computed on its own, t = exp(coef) g (alpha + beta x), because the step needs g too:
// Phi(-|z|) = erfc(|z|/sqrt 2)/2 = A&S poly(|z|/sqrt 2) g / 2 costs no further exp. The step's term
// pi_S f_S(x) = sum_k e_sh_k Phi(SH_SIGN z_k) (e_sh_k = pi_S pi_k / window mass of the step) goes
// into lane SH_LANE (whose own alpha = beta = 0), so it joins the sums as every background does.
const CV: u32 = (NC + 3u) / 4u;
// vec4s per channel in `axis`: CV of lb, then (x', 0, 0, 0).
const AX: u32 = CV + 1u;
const OFF_LANE: f32 = -1e30;

// The E-step's view of the parameters per lane group: centre, 1/sigma, log coefficient
// (log pi - log sigma - log sqrt(2 pi) - log Z for peaks, log pi for backgrounds).
var<private> e_pos0: vec4f;
var<private> e_inv0: vec4f;
var<private> e_coef0: vec4f;
var<private> e_pos1: vec4f;
var<private> e_inv1: vec4f;
var<private> e_coef1: vec4f;
var<private> e_pos2: vec4f;
var<private> e_inv2: vec4f;
var<private> e_coef2: vec4f;
// Linear space: the background densities alpha + beta x' per lane group (set once per pixel).
var<private> e_alpha0: vec4f;
var<private> e_beta0: vec4f;
var<private> e_alpha1: vec4f;
var<private> e_beta1: vec4f;
var<private> e_alpha2: vec4f;
var<private> e_beta2: vec4f;
// SHIRLEY: the step's coefficient per peak lane (peaks occupy lane groups 0 and 1 at most).
var<private> e_sh0: vec4f;
var<private> e_sh1: vec4f;

// The parameters and their window terms (the M-step's view), and the pixel's iteration state.
var<private> p_pos: array<f32, K>;
var<private> p_sig: array<f32, K>;
var<private> p_wt: array<f32, NC>;
var<private> p_dm: array<f32, K>;
var<private> p_dv: array<f32, K>;
var<private> p_llprev: f32;
var<private> p_iter: f32;

// The reduced sums of one E-step, flat (the M-step's input; lanes as L_* above).
var<private> sums: array<f32, LANES>;

// One thread's partial sums of an E-step, per lane group: sum w, sum w d, sum w d^2 (d = x - pos).
struct Acc {
  n0: vec4f,
  a0: vec4f,
  b0: vec4f,
  n1: vec4f,
  a1: vec4f,
  b1: vec4f,
  n2: vec4f,
  a2: vec4f,
  b2: vec4f,
  ll: f32,
  dll: f32,
  sq: f32,
}

// Phi(SH_SIGN z) per lane, from z and g = exp(-z^2/2).
fn step_cdf4(z: vec4f, g: vec4f) -> vec4f {
  let tail = 0.5 * erfc_pos4(abs(z) * INV_SQRT2, g);
  return select(tail, 1.0 - tail, SH_SIGN * z >= vec4f(0.0));
}

fn hmax(v: vec4f) -> f32 {
  return max(max(v.x, v.y), max(v.z, v.w));
}

// Component j's value from three lane groups.
fn pick(v0: vec4f, v1: vec4f, v2: vec4f, j: u32) -> f32 {
  if (j < 4u) {
    return v0[j];
  }
  if (j < 8u) {
    return v1[j - 4u];
  }
  return v2[j - 8u];
}

// Lane l of the partial sums (the order of `sums`).
fn acc_lane(acc: Acc, l: u32) -> f32 {
  if (l < L_A) {
    return pick(acc.n0, acc.n1, acc.n2, l);
  }
  if (l < L_B) {
    return pick(acc.a0, acc.a1, acc.a2, l - L_A);
  }
  if (l < L_NB) {
    return pick(acc.b0, acc.b1, acc.b2, l - L_B);
  }
  if (l < L_LL) {
    return pick(acc.n0, acc.n1, acc.n2, K + l - L_NB);
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
// at index base + n * stride of `counts` and `lm_prev`; only channels with counts contribute.
fn estep(first: u32, step: u32, base: u32, stride: u32) -> Acc {
  let p0 = e_pos0;
  let i0 = e_inv0;
  let c0 = e_coef0;
  let a0 = e_alpha0;
  let b0 = e_beta0;
  let p1 = e_pos1;
  let i1 = e_inv1;
  let c1 = e_coef1;
  let a1 = e_alpha1;
  let b1 = e_beta1;
  let p2 = e_pos2;
  let i2 = e_inv2;
  let c2 = e_coef2;
  let a2 = e_alpha2;
  let b2 = e_beta2;
  let x0 = model[M_X0];
  let xh = model[M_XH];
  var r = Acc();
  for (var n = first; n < C; n += step) {
    let at = base + n * stride;
    let y = counts[at];
    if (y > 0.0) {
      var x: vec4f;
      if (UNIFORM_X) {
        x = vec4f(fma(f32(n), xh, x0));
      } else {
        x = vec4f(axis[n * AX + CV].x);
      }
      let d0 = x - p0;
      let z0 = d0 * i0;
      var d1 = vec4f(0.0);
      var t1 = vec4f(0.0);
      var d2 = vec4f(0.0);
      var t2 = vec4f(0.0);
      var t0: vec4f;
      var s: f32;
      var lm: f32;
      if (SHIRLEY) {
        let g0 = exp(-0.5 * z0 * z0);
        t0 = c0 * g0 * fma(b0, x, a0);
        var ts = dot(e_sh0, step_cdf4(z0, g0));
        if (CV > 1u) {
          d1 = x - p1;
          let z1 = d1 * i1;
          let g1 = exp(-0.5 * z1 * z1);
          t1 = c1 * g1 * fma(b1, x, a1);
          if (K > 4u) {
            ts += dot(e_sh1, step_cdf4(z1, g1));
          }
        }
        if (CV > 2u) {
          d2 = x - p2;
          let z2 = d2 * i2;
          t2 = c2 * exp(-0.5 * z2 * z2) * fma(b2, x, a2);
        }
        if (SH_LANE < 4u) {
          t0[SH_LANE & 3u] = ts;
        } else if (SH_LANE < 8u) {
          t1[SH_LANE & 3u] = ts;
        } else {
          t2[SH_LANE & 3u] = ts;
        }
        s = dot(t0, vec4f(1.0));
        if (CV > 1u) {
          s += dot(t1, vec4f(1.0));
        }
        if (CV > 2u) {
          s += dot(t2, vec4f(1.0));
        }
        s = max(s, TINY);
        lm = log(s);
      } else if (LINEAR) {
        t0 = exp(c0 - 0.5 * z0 * z0) * fma(b0, x, a0);
        if (CV > 1u) {
          d1 = x - p1;
          let z1 = d1 * i1;
          t1 = exp(c1 - 0.5 * z1 * z1) * fma(b1, x, a1);
        }
        if (CV > 2u) {
          d2 = x - p2;
          let z2 = d2 * i2;
          t2 = exp(c2 - 0.5 * z2 * z2) * fma(b2, x, a2);
        }
        if (TOUGAARD) {
          // The lane's alpha = 1, beta = 0 (gpu.ts modelBuffer): its term is pi_T times this.
          let ft = lm_prev[at + ctl.npix * C];
          if (TG_LANE < 4u) {
            t0[TG_LANE & 3u] *= ft;
          } else if (TG_LANE < 8u) {
            t1[TG_LANE & 3u] *= ft;
          } else {
            t2[TG_LANE & 3u] *= ft;
          }
        }
        s = dot(t0, vec4f(1.0));
        if (CV > 1u) {
          s += dot(t1, vec4f(1.0));
        }
        if (CV > 2u) {
          s += dot(t2, vec4f(1.0));
        }
        s = max(s, TINY);
        lm = log(s);
      } else {
        t0 = c0 + axis[n * AX] - 0.5 * z0 * z0;
        var mx = hmax(t0);
        if (CV > 1u) {
          d1 = x - p1;
          let z1 = d1 * i1;
          t1 = c1 + axis[n * AX + 1u] - 0.5 * z1 * z1;
          mx = max(mx, hmax(t1));
        }
        if (CV > 2u) {
          d2 = x - p2;
          let z2 = d2 * i2;
          t2 = c2 + axis[n * AX + 2u] - 0.5 * z2 * z2;
          mx = max(mx, hmax(t2));
        }
        let m = vec4f(mx);
        t0 = exp(t0 - m);
        s = dot(t0, vec4f(1.0));
        if (CV > 1u) {
          t1 = exp(t1 - m);
          s += dot(t1, vec4f(1.0));
        }
        if (CV > 2u) {
          t2 = exp(t2 - m);
          s += dot(t2, vec4f(1.0));
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
      if (CV > 1u) {
        let w1 = t1 * q;
        let wd1 = w1 * d1;
        r.n1 += w1;
        r.a1 += wd1;
        r.b1 += wd1 * d1;
      }
      if (CV > 2u) {
        let w2 = t2 * q;
        let wd2 = w2 * d2;
        r.n2 += w2;
        r.a2 += wd2;
        r.b2 += wd2 * d2;
      }
    }
  }
  return r;
}

// Window terms and E-step coefficients of the current parameters.
fn derive() {
  var pos = array<f32, 12>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var inv = array<f32, 12>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var coef = array<f32, 12>(OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE, OFF_LANE);
  for (var k = 0u; k < K; k++) {
    let s = p_sig[k];
    let wt = gauss_window(p_pos[k], s, model[M_LO], model[M_HI]);
    p_dm[k] = wt.dm;
    p_dv[k] = wt.dv;
    pos[k] = p_pos[k];
    inv[k] = 1.0 / s;
    coef[k] = log(max(p_wt[k], TINY)) - log(s) - LOG_SQRT_2PI - wt.log_z;
  }
  for (var b = 0u; b < NB; b++) {
    coef[K + b] = log(max(p_wt[K + b], TINY));
  }
  if (SHIRLEY) {
    // The step of these parameters, normalised over the window (em.ts eStep, lineshapes.ts
    // shirleyCoefficients); the E-step takes the coefficients in linear form.
    var norm = 0.0;
    for (var k = 0u; k < K; k++) {
      norm += p_wt[k] * step_mass(p_pos[k], p_sig[k], SH_SIGN, model[M_LO], model[M_HI]);
    }
    var sh = array<f32, 12>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    if (norm > TINY) {
      let scale = p_wt[SH_LANE] / norm;
      for (var k = 0u; k < K; k++) {
        sh[k] = p_wt[k] * scale;
      }
    }
    e_sh0 = lanes4(sh, 0u);
    e_sh1 = lanes4(sh, 1u);
    for (var j = 0u; j < 12u; j++) {
      coef[j] = exp(coef[j]);
    }
  }
  e_pos0 = lanes4(pos, 0u);
  e_inv0 = lanes4(inv, 0u);
  e_coef0 = lanes4(coef, 0u);
  e_pos1 = lanes4(pos, 1u);
  e_inv1 = lanes4(inv, 1u);
  e_coef1 = lanes4(coef, 1u);
  e_pos2 = lanes4(pos, 2u);
  e_inv2 = lanes4(inv, 2u);
  e_coef2 = lanes4(coef, 2u);
}

// The linear-space background densities per lane (alpha = 1, beta = 0 on peak and unused lanes).
fn background_lanes() {
  var alpha = array<f32, 12>(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
  var beta = array<f32, 12>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (var b = 0u; b < NB; b++) {
    alpha[K + b] = model[M_BGA + b];
    beta[K + b] = model[M_BGB + b];
  }
  e_alpha0 = lanes4(alpha, 0u);
  e_beta0 = lanes4(beta, 0u);
  e_alpha1 = lanes4(alpha, 1u);
  e_beta1 = lanes4(beta, 1u);
  e_alpha2 = lanes4(alpha, 2u);
  e_beta2 = lanes4(beta, 2u);
}

fn lanes4(a: array<f32, 12>, group: u32) -> vec4f {
  return vec4f(a[4u * group], a[4u * group + 1u], a[4u * group + 2u], a[4u * group + 3u]);
}

// Resume a pixel: false when it is not running (converged, stopped, or without counts).
fn load_state(base: u32) -> bool {
  if (state[base + S_STATUS] != ST_RUNNING) {
    return false;
  }
  for (var k = 0u; k < K; k++) {
    p_pos[k] = state[base + k];
    p_sig[k] = state[base + S_SIG + k];
  }
  for (var j = 0u; j < NC; j++) {
    p_wt[j] = state[base + S_W + j];
  }
  p_llprev = state[base + S_LL];
  p_iter = state[base + S_IT];
  background_lanes();
  derive();
  return true;
}

fn store_state(base: u32, ll: f32, status: f32) {
  for (var k = 0u; k < K; k++) {
    state[base + k] = p_pos[k];
    state[base + S_SIG + k] = p_sig[k];
  }
  for (var j = 0u; j < NC; j++) {
    state[base + S_W + j] = p_wt[j];
  }
  state[base + S_LL] = ll;
  state[base + S_IT] = p_iter;
  state[base + S_STATUS] = status;
}

// The closed-form M-step of em.ts mStep, from `sums`.
fn m_step(total: f32) {
  var ng: array<f32, G>;
  var num: array<f32, G>;
  var mu: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    ng[g] = 0.0;
    num[g] = 0.0;
  }
  for (var k = 0u; k < K; k++) {
    let g = u32(model[M_GROUP + k]);
    let n = sums[k];
    ng[g] += n;
    num[g] += sums[L_A + k] - p_sig[k] * n * p_dm[k];
    mu[g] = p_pos[k] - model[M_OFF + k];
  }
  var mun: array<f32, G>;
  for (var g = 0u; g < G; g++) {
    mun[g] = mu[g];
    if (model[M_FIXED + g] == 0.0 && ng[g] > TINY) {
      mun[g] = clamp(mu[g] + num[g] / ng[g], model[M_BLO + g], model[M_BHI + g]);
    }
  }
  var nw: array<f32, NW>;
  var sw: array<f32, NW>;
  var vw: array<f32, NW>;
  for (var w = 0u; w < NW; w++) {
    nw[w] = 0.0;
    sw[w] = 0.0;
    vw[w] = 0.0;
  }
  for (var k = 0u; k < K; k++) {
    let w = u32(model[M_WGROUP + k]);
    let g = u32(model[M_GROUP + k]);
    let delta = mun[g] - mu[g];
    let n = sums[k];
    nw[w] += n;
    sw[w] += sums[L_B + k] - 2.0 * delta * sums[L_A + k] + delta * delta * n;
    vw[w] += n * p_dv[k];
  }
  var sig: array<f32, NW>;
  for (var w = 0u; w < NW; w++) {
    sig[w] = -1.0;
    if (nw[w] > TINY) {
      let factor = max(1.0 + vw[w] / nw[w], MIN_VAR_FACTOR);
      sig[w] = clamp(sqrt(max(sw[w], 0.0) / nw[w] / factor), model[M_SLO], model[M_SHI]);
    }
  }
  let inv_t = 1.0 / max(total, TINY);
  for (var k = 0u; k < K; k++) {
    let g = u32(model[M_GROUP + k]);
    let w = u32(model[M_WGROUP + k]);
    p_pos[k] = mun[g] + model[M_OFF + k];
    if (sig[w] > 0.0) {
      p_sig[k] = sig[w];
    }
    p_wt[k] = model[M_RFRAC + k] * ng[g] * inv_t;
  }
  for (var b = 0u; b < NB; b++) {
    p_wt[K + b] = sums[L_NB + b] * inv_t;
  }
}

// After an E-step (its sums in `sums`): the convergence test, then either the final state is
// stored (returns true) or the M-step runs and the E-step view is refreshed (returns false).
fn em_advance(base: u32, total: f32) -> bool {
  let ll = sums[L_LL] - total * model[M_LOGSCALE];
  let floor = model[M_FLOOR] * sqrt(sums[L_SQ]);
  // After the first M-step (whose start may break the clamps and bounds) exact EM never lowers the
  // log-likelihood: a drop is float32 noise (e.g. a 2-cycle of the state), so the fit has converged.
  // With SHIRLEY the iteration is not exact EM (the step follows the peaks after their M-step) and
  // may lower LL for real: only a drop within SHIRLEY_DROP x the threshold counts (em.ts hasConverged).
  let dll = sums[L_DLL];
  let limit = max(model[M_TOL] * abs(ll), floor);
  var drop = dll < 0.0;
  if (SHIRLEY) {
    drop = drop && -dll <= SHIRLEY_DROP * limit;
  }
  if (p_iter > 0.0 && (abs(dll) <= limit || (p_iter > 1.0 && drop))) {
    store_state(base, ll, ST_CONVERGED);
    return true;
  }
  if (p_iter >= model[M_MAXIT]) {
    store_state(base, ll, ST_MAXITER);
    return true;
  }
  m_step(total);
  p_llprev = ll;
  p_iter += 1.0;
  derive();
  return false;
}
