// #import peaks/lanes
// #import peaks/window
// #import peaks/ctl
// What both EM kernels share (em_pixel.wgsl: one thread per pixel; em_workgroup.wgsl: one
// workgroup per pixel): the state and model layouts, one channel's E-step, the convergence test
// and the closed-form M-step. The float64 reference is src/methods/peaks/em.ts; this follows it
// step by step on a centred and scaled axis x' = (x - centre) / scale (densities scaled to match).
//
// Needs the defines K (peaks, at most 8), NB (background components, at most 4), G (position
// groups), NW (width groups), C (channels), LINEAR (bool: the E-step in linear space, for models
// with a background), UNIFORM_X (bool: the axis is x'_n = x'_0 + n h', computed instead of loaded;
// the host sets it only with LINEAR), SHIRLEY (bool: one background component is the active
// Shirley step; only with LINEAR), SH_B (u32: its background index b), SH_SIGN (f32: +1 when the step
// rises towards higher x, -1 towards lower x), SHIRLEY_DROP (f32: em.ts SHIRLEY_DROP_FACTOR),
// TOUGAARD (bool: one background component is the pixel's Tougaard density, which
// kernels/peaks/tougaard.wgsl wrote into the second half of lm_prev; only with LINEAR), TG_B
// (u32: its background index b), and the libs peaks/lanes (PL, BL), peaks/window and peaks/ctl
// (the control block Ctl).

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
// The per-pixel state (STATE floats at S_*), its status codes (ST_*) and the model buffer (M_*)
// are constants from the host's layout table (src/methods/peaks/layout.ts).
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

// The E-step works on vectors in named variables, peaks and backgrounds apart: the peaks in
// lane groups of type PL (vec2f when K <= 2, else vec4f; group 1 holds peaks 4-7 when K > 4),
// the NB background components in one group of type BL (vec2f when NB <= 2, else vec4f). PL, BL
// and their helpers come from the host-written lib peaks/lanes (src/methods/peaks/gpu.ts
// lanesLib). No arrays or pointers in the channel loop: a software backend (SwiftShader) keeps
// small dynamically indexed arrays in memory, which made the loop ~5x slower; and it pays every
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
// `axis` keeps the layout of CV = ceil((K + NB) / 4) vec4s of log background densities per channel
// (the host's, for tougaard.wgsl too), then (x', w', 0, 0) (AX = CV + 1 vec4s; layout.ts); the
// E-step reads only x'.
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
// skip it cost ~10 % of the E-step on SwiftShader, which runs both sides of a divergent branch.
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
      tb = fma(bgb, BL(xs), bga);
      if (SHIRLEY) {
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
        t0 = exp(c0 - 0.5 * z0 * z0);
        if (K > 4u) {
          d1 = x - p1;
          let z1 = d1 * i1;
          t1 = exp(c1 - 0.5 * z1 * z1);
        }
      }
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
    // The step of these parameters, normalised over the window (em.ts eStep, lineshapes.ts
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
