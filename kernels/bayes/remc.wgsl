// #import lib/index
// #import lib/rng
// Replica-exchange Monte Carlo for y = Σ_k a_k exp(−b_k (x − μ_k)² / 2) [+ c]: one workgroup per
// group (spectrum × chain), one invocation per replica; `count` sweeps per dispatch. The float64
// reference src/methods/bayes/cpu.ts is the specification: same Philox counters, same order.
// Constants: REPLICAS (workgroup size), P, K, NCH (channels), CHAINS, BACKGROUND, the layout
// offsets F_*, U_*, A_*, S_STRIDE, NSAMP (src/methods/bayes/layout.ts), ADAPT, RNG_MOVE, RNG_SWAP.

struct Params {
  sweep0: u32,
  count: u32,
  burn: u32,
  thin: u32,
  seed: u32,
  first: u32,
  groups: u32,
  pad: u32,
  a_shape: f32,
  a_rate: f32,
  mu_mean: f32,
  mu_var: f32,
  b_shape: f32,
  b_rate: f32,
  c_mean: f32,
  c_sd: f32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
// betas [REPLICAS], max step [P], s0 per spectrum.
@group(0) @binding(3) var<storage, read> consts: array<f32>;
@group(0) @binding(4) var<storage, read_write> fst: array<f32>;
@group(0) @binding(5) var<storage, read_write> ust: array<u32>;
@group(0) @binding(6) var<storage, read_write> acc: array<f32>;
@group(0) @binding(7) var<storage, read_write> samples: array<f32>;
// Per group: residual r = y − f [NCH][REPLICAS], then the proposed change d [NCH][REPLICAS]
// (replica innermost, so the invocations of a workgroup touch neighbouring words).
@group(0) @binding(8) var<storage, read_write> work: array<f32>;

var<workgroup> w_perm: array<u32, REPLICAS>;
var<workgroup> w_inv: array<u32, REPLICAS>;
var<workgroup> w_ss: array<f32, REPLICAS>;

// Log prior ratio of moving parameter j from `was` to `to`; .y = 0 outside the support.
fn log_prior_ratio(j: u32, was: f32, to: f32) -> vec2f {
  if (BACKGROUND && j == 3u * K) {
    let dc = (to - prm.c_mean) * (to - prm.c_mean) - (was - prm.c_mean) * (was - prm.c_mean);
    return vec2f(-dc / (2.0 * prm.c_sd * prm.c_sd), 1.0);
  }
  let kind = j % 3u;
  if (kind == 1u) {
    let dm = (to - prm.mu_mean) * (to - prm.mu_mean) - (was - prm.mu_mean) * (was - prm.mu_mean);
    return vec2f(-dm / (2.0 * prm.mu_var), 1.0);
  }
  if (!(to > 0.0)) {
    return vec2f(0.0, 0.0);
  }
  var shape = prm.a_shape;
  var rate = prm.a_rate;
  if (kind == 2u) {
    shape = prm.b_shape;
    rate = prm.b_rate;
  }
  return vec2f((shape - 1.0) * log(to / was) - rate * (to - was), 1.0);
}

fn step_scale(rate: f32) -> f32 {
  return clamp((rate + 0.1) / 0.6, 0.5, 2.0);
}

@compute @workgroup_size(REPLICAS)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) s: u32) {
  let g = linear_workgroup(wid, nwg);
  if (g >= prm.groups) {
    return;
  }
  let spectrum = g / CHAINS;
  let gw = (K - 1u) * CHAINS + g % CHAINS;
  let key = vec2u(prm.seed, prm.first + spectrum);
  let fo = g * F_STRIDE;
  let uo = g * U_STRIDE;
  let ao = g * A_STRIDE;
  let yo = spectrum * NCH;
  let ro = g * 2u * NCH * REPLICAS + s;
  let dO = ro + NCH * REPLICAS;
  let th = fo + F_THETA + s * P;
  let s0 = consts[REPLICAS + P + spectrum];
  let inv2s2 = 1.0 / (2.0 * s0 * s0);
  w_perm[s] = ust[uo + U_PERM + s];
  // The replica's parameters live in registers; fst is written after each sweep's moves.
  var theta: array<f32, P>;
  for (var j = 0u; j < P; j++) {
    theta[j] = fst[th + j];
  }
  workgroupBarrier();

  for (var sweep = prm.sweep0; sweep < prm.sweep0 + prm.count; sweep++) {
    let sampling = sweep >= prm.burn;
    let t = w_perm[s];
    let beta = consts[t];
    // Residual afresh each sweep (no drift from the incremental updates).
    var ss = 0.0;
    for (var i = 0u; i < NCH; i++) {
      var m = 0.0;
      if (BACKGROUND) {
        m = theta[min(3u * K, P - 1u)];
      }
      for (var k = 0u; k < K; k++) {
        let dx = x[i] - theta[3u * k + 1u];
        m += theta[3u * k] * exp(-0.5 * theta[3u * k + 2u] * dx * dx);
      }
      let r = y[yo + i] - m;
      work[ro + i * REPLICAS] = r;
      ss += r * r;
    }
    for (var j = 0u; j < P; j++) {
      let w = philox4x32(vec4u(sweep, gw, s * 64u + j, RNG_MOVE), key);
      let old = theta[j];
      let prop = old + fst[fo + F_STEP + t * P + j] * (2.0 * rng_uniform24(w.x) - 1.0);
      var ok = true;
      if (j < 3u * K && j % 3u == 1u) {
        let k = (j - 1u) / 3u;
        if (k > 0u && !(prop > theta[j - 3u])) {
          ok = false;
        }
        if (k + 1u < K && !(prop < theta[j + 3u])) {
          ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      let lp = log_prior_ratio(j, old, prop);
      if (lp.y == 0.0) {
        continue;
      }
      var dss = 0.0;
      if (BACKGROUND && j == 3u * K) {
        let dc = prop - old;
        for (var i = 0u; i < NCH; i++) {
          work[dO + i * REPLICAS] = dc;
          dss += dc * (dc - 2.0 * work[ro + i * REPLICAS]);
        }
      } else {
        let k = j / 3u;
        let a0 = theta[3u * k];
        let m0 = theta[3u * k + 1u];
        let b0 = theta[3u * k + 2u];
        let a1 = select(a0, prop, j == 3u * k);
        let m1 = select(m0, prop, j == 3u * k + 1u);
        let b1 = select(b0, prop, j == 3u * k + 2u);
        for (var i = 0u; i < NCH; i++) {
          let e0 = x[i] - m0;
          let e1 = x[i] - m1;
          let di = a1 * exp(-0.5 * b1 * e1 * e1) - a0 * exp(-0.5 * b0 * e0 * e0);
          work[dO + i * REPLICAS] = di;
          dss += di * (di - 2.0 * work[ro + i * REPLICAS]);
        }
      }
      let log_alpha = -beta * dss * inv2s2 + lp.x;
      if (log(rng_uniform24_open0(w.y)) < log_alpha) {
        theta[j] = prop;
        for (var i = 0u; i < NCH; i++) {
          work[ro + i * REPLICAS] -= work[dO + i * REPLICAS];
        }
        ss += dss;
        let at = uo + select(U_WIN, U_ACC, sampling) + t * P + j;
        ust[at] = ust[at] + 1u;
      }
    }
    for (var j = 0u; j < P; j++) {
      fst[th + j] = theta[j];
    }
    fst[fo + F_SS + s] = ss;
    w_ss[s] = ss;
    w_inv[t] = s;
    workgroupBarrier();

    // Exchanges: invocation s handles the pair (s, s + 1) when s has the sweep's parity.
    if (s % 2u == (sweep & 1u) && s + 1u < REPLICAS) {
      let w = philox4x32(vec4u(sweep, gw, s, RNG_SWAP), key);
      let lo = w_inv[s];
      let hi = w_inv[s + 1u];
      let log_alpha = (consts[s + 1u] - consts[s]) * (w_ss[hi] - w_ss[lo]) * inv2s2;
      if (log(rng_uniform24_open0(w.x)) < log_alpha) {
        w_perm[lo] = s + 1u;
        w_perm[hi] = s;
        if (sampling) {
          ust[uo + U_EXCH + s] = ust[uo + U_EXCH + s] + 1u;
        }
      }
    }
    workgroupBarrier();

    let tn = w_perm[s];
    let dir = ust[uo + U_DIR + s];
    if (tn == 0u) {
      if (dir == 2u && sampling) {
        ust[uo + U_TRIPS + s] = ust[uo + U_TRIPS + s] + 1u;
      }
      ust[uo + U_DIR + s] = 1u;
    } else if (tn == REPLICAS - 1u && dir == 1u) {
      ust[uo + U_DIR + s] = 2u;
    }

    if (!sampling) {
      if ((sweep + 1u) % ADAPT == 0u) {
        for (var j = 0u; j < P; j++) {
          let at = fo + F_STEP + tn * P + j;
          let rate = f32(ust[uo + U_WIN + tn * P + j]) / f32(ADAPT);
          fst[at] = min(consts[REPLICAS + j], fst[at] * step_scale(rate));
          ust[uo + U_WIN + tn * P + j] = 0u;
        }
      }
    } else {
      let kk = sweep - prm.burn;
      let keep = (kk + 1u) % prm.thin == 0u && (kk + 1u) / prm.thin <= NSAMP;
      let slot = (kk + 1u) / prm.thin - 1u;
      acc[ao + A_ESUM + tn] += ss;
      for (var j = 0u; j < P; j++) {
        let v = theta[j];
        let at = ao + A_MOM + 2u * (tn * P + j);
        acc[at] += v;
        acc[at + 1u] += v * v;
        if (keep) {
          samples[g * S_STRIDE + (slot * REPLICAS + tn) * P + j] = v;
        }
      }
      if (tn + 1u < REPLICAS) {
        let xs = -(consts[tn + 1u] - consts[tn]) * ss * inv2s2;
        let at = ao + A_LSE + 2u * tn;
        if (xs > acc[at]) {
          acc[at + 1u] = acc[at + 1u] * exp(acc[at] - xs) + 1.0;
          acc[at] = xs;
        } else {
          acc[at + 1u] += exp(xs - acc[at]);
        }
      }
    }
    workgroupBarrier();
  }
  ust[uo + U_PERM + s] = w_perm[s];
}
