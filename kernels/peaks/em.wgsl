// Spectrum-adapted EM peak fitting, one workgroup per pixel, threads over channels, float32.
// The float64 reference is src/methods/peaks/em.ts; this follows it step by step, on a centred
// and scaled energy axis x' = (x - centre) / scale (densities and widths scaled to match).
//
// Each dispatch runs up to ctl.iters EM iterations per pixel, resuming from `state`; a pixel
// that converges (or reaches the iteration limit) writes its final state and drops out.
// Still-running pixels count themselves in running[0], the only thing the host reads per submit.
//
// Defines: WG (workgroup size, power of two) = RED_WG; CPT = ceil(C / WG) channels per thread;
// C channels; K peaks; NB background components (NBA = max(NB, 1)); G position groups;
// NW width groups; RED_LANES = 3K + NB + 3 sums per iteration.
// Libs: lib/index (linear_workgroup), lib/reduce (red_buf, reduce_lanes), peaks/window.

const NC: u32 = K + NB;
const STATE: u32 = 3u * K + NB + 3u;
const S_SIG: u32 = K;
const S_W: u32 = 2u * K;
const S_LL: u32 = 3u * K + NB;
const S_IT: u32 = S_LL + 1u;
const S_STATUS: u32 = S_LL + 2u;
// Model buffer layout (gpu.ts writes it).
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
// Sums (lanes of red_buf): N_k, A_k, B_k per peak, N_b per background; LL = sum y log mix;
// dLL = sum y (log mix - log mix of the previous iteration), channel by channel, which float32
// resolves far below the rounding of LL itself; sum (y (|max term| + 1))^2, the scale of the
// float32 rounding of the log mix terms (log mix = max + log s: absolute error ~ ulp(max) + ulp(1)),
// for the convergence floor (model.ts llFloor; em.ts computes the same in float64).
const L_A: u32 = K;
const L_B: u32 = 2u * K;
const L_NB: u32 = 3u * K;
const L_LL: u32 = 3u * K + NB;
const L_DLL: u32 = L_LL + 1u;
const L_SQ: u32 = L_LL + 2u;
const TINY: f32 = 1e-30;
const MIN_VAR_FACTOR: f32 = 1e-6;
const LOG_SQRT_2PI: f32 = 0.91893853;
const ST_RUNNING: f32 = 0.0;
const ST_CONVERGED: f32 = 1.0;
const ST_MAXITER: f32 = 2.0;

struct Ctl {
  npix: u32,
  iters: u32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<storage, read> counts: array<f32>;
@group(0) @binding(1) var<storage, read> axis: array<f32>;
@group(0) @binding(2) var<storage, read> model: array<f32>;
@group(0) @binding(3) var<storage, read> totals: array<f32>;
@group(0) @binding(4) var<storage, read_write> state: array<f32>;
@group(0) @binding(5) var<storage, read_write> running: array<atomic<u32>>;
@group(0) @binding(6) var<uniform> ctl: Ctl;

// What every thread needs for the E-step, published by thread 0.
var<workgroup> w_pos: array<f32, K>;
var<workgroup> w_inv: array<f32, K>;
var<workgroup> w_coef: array<f32, NC>;
var<workgroup> w_done: u32;

// Each thread's channels, loaded once per dispatch.
var<private> ys: array<f32, CPT>;
var<private> xs: array<f32, CPT>;
var<private> lbg: array<f32, NBA * CPT>;
var<private> lm_prev: array<f32, CPT>;

// The parameters and window terms (meaningful in thread 0 only).
var<private> p_pos: array<f32, K>;
var<private> p_sig: array<f32, K>;
var<private> p_wt: array<f32, NC>;
var<private> p_dm: array<f32, K>;
var<private> p_dv: array<f32, K>;
var<private> p_llprev: f32;
var<private> p_iter: f32;

// Window terms and E-step coefficients of the current parameters (thread 0).
fn derive() {
  for (var k = 0u; k < K; k++) {
    let s = p_sig[k];
    let wt = gauss_window(p_pos[k], s, model[M_LO], model[M_HI]);
    p_dm[k] = wt.dm;
    p_dv[k] = wt.dv;
    w_pos[k] = p_pos[k];
    w_inv[k] = 1.0 / s;
    w_coef[k] = log(max(p_wt[k], TINY)) - log(s) - LOG_SQRT_2PI - wt.log_z;
  }
  for (var b = 0u; b < NB; b++) {
    w_coef[K + b] = log(max(p_wt[K + b], TINY));
  }
}

fn store(base: u32, ll: f32, status: f32) {
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

// The closed-form M-step of em.ts mStep, from the reduced sums (thread 0).
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
    let n = red_buf[k * RED_WG];
    ng[g] += n;
    num[g] += red_buf[(L_A + k) * RED_WG] - p_sig[k] * n * p_dm[k];
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
    let n = red_buf[k * RED_WG];
    let a = red_buf[(L_A + k) * RED_WG];
    let b2 = red_buf[(L_B + k) * RED_WG];
    nw[w] += n;
    sw[w] += b2 - 2.0 * delta * a + delta * delta * n;
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
    p_wt[K + b] = red_buf[(L_NB + b) * RED_WG] * inv_t;
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) tid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let pix = linear_workgroup(wid, nwg);
  if (pix >= ctl.npix) {
    return;
  }
  let base = pix * STATE;
  if (tid == 0u) {
    w_done = select(0u, 1u, state[base + S_STATUS] != ST_RUNNING);
    if (w_done == 0u) {
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
    }
  }
  if (workgroupUniformLoad(&w_done) != 0u) {
    return;
  }
  for (var j = 0u; j < CPT; j++) {
    let n = tid + j * WG;
    ys[j] = 0.0;
    if (n < C) {
      ys[j] = counts[pix * C + n];
      xs[j] = axis[n];
      for (var b = 0u; b < NB; b++) {
        lbg[b * CPT + j] = axis[C + b * C + n];
      }
    }
  }
  let total = totals[pix];

  for (var it = 0u; it < ctl.iters; it++) {
    // E-step: this thread's share of the sums, in log space with max-subtraction.
    var pos: array<f32, K>;
    var inv: array<f32, K>;
    var coef: array<f32, NC>;
    for (var k = 0u; k < K; k++) {
      pos[k] = w_pos[k];
      inv[k] = w_inv[k];
    }
    for (var c = 0u; c < NC; c++) {
      coef[c] = w_coef[c];
    }
    // Explicitly zeroed: a var in a loop body is re-initialised per iteration by the spec, but
    // not every WGSL compiler does so (SwiftShader through Dawn kept the previous values).
    var acc: array<f32, RED_LANES>;
    for (var l = 0u; l < RED_LANES; l++) {
      acc[l] = 0.0;
    }
    for (var j = 0u; j < CPT; j++) {
      let y = ys[j];
      if (y > 0.0) {
        let x = xs[j];
        var t: array<f32, NC>;
        var d: array<f32, K>;
        var mx = -3.0e38;
        for (var k = 0u; k < K; k++) {
          d[k] = x - pos[k];
          let z = d[k] * inv[k];
          t[k] = coef[k] - 0.5 * z * z;
          mx = max(mx, t[k]);
        }
        for (var b = 0u; b < NB; b++) {
          t[K + b] = coef[K + b] + lbg[b * CPT + j];
          mx = max(mx, t[K + b]);
        }
        var s = 0.0;
        for (var c = 0u; c < NC; c++) {
          t[c] = exp(t[c] - mx);
          s += t[c];
        }
        let lm = mx + log(s);
        acc[L_LL] += y * lm;
        acc[L_DLL] += y * (lm - lm_prev[j]);
        lm_prev[j] = lm;
        let yerr = y * (abs(mx) + 1.0);
        acc[L_SQ] += yerr * yerr;
        let q = y / s;
        for (var k = 0u; k < K; k++) {
          let w = t[k] * q;
          let wd = w * d[k];
          acc[k] += w;
          acc[L_A + k] += wd;
          acc[L_B + k] += wd * d[k];
        }
        for (var b = 0u; b < NB; b++) {
          acc[L_NB + b] += t[K + b] * q;
        }
      }
    }
    for (var l = 0u; l < RED_LANES; l++) {
      red_buf[l * RED_WG + tid] = acc[l];
    }
    reduce_lanes(tid);

    // Convergence test, then the M-step (thread 0). The channel-wise change dLL needs the previous
    // iteration's log mix, which a dispatch's first iteration lacks: it skips the test (at most
    // one extra M-step per dispatch compared with the reference).
    if (tid == 0u) {
      let ll = red_buf[L_LL * RED_WG] - total * model[M_LOGSCALE];
      let dll = red_buf[L_DLL * RED_WG];
      let floor = model[M_FLOOR] * sqrt(red_buf[L_SQ * RED_WG]);
      if (p_iter > 0.0 && it > 0u && abs(dll) <= max(model[M_TOL] * abs(ll), floor)) {
        store(base, ll, ST_CONVERGED);
        w_done = 1u;
      } else if (p_iter >= model[M_MAXIT]) {
        store(base, ll, ST_MAXITER);
        w_done = 1u;
      } else {
        m_step(total);
        p_llprev = ll;
        p_iter += 1.0;
        derive();
      }
    }
    if (workgroupUniformLoad(&w_done) != 0u) {
      return;
    }
  }
  if (tid == 0u) {
    store(base, p_llprev, ST_RUNNING);
    atomicAdd(&running[0], 1u);
  }
}
