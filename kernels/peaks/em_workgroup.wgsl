// #import lib/index
// #import lib/reduce
// #import peaks/layout
// #import peaks/estep
// #import peaks/mstep
// #import peaks/converge
// Spectrum-adapted EM, one workgroup per pixel: threads split the channels, the E-step's sums
// are reduced as a tree in workgroup memory (lib/reduce), thread 0 runs the M-step and publishes
// the parameters. Suits hardware GPUs when pixels are few; on a software backend its barriers
// (log2(RED_WG) + 2 per iteration) cost far more than the arithmetic: em_pixel.wgsl is the default.
//
// Each dispatch runs up to ctl.iters EM iterations for the pixels listed in `live_pixels` (one
// workgroup each), resuming from `state`; pixels still running afterwards append themselves to
// `next_live` (running[0] counts them).
//
// Defines: RED_WG (its workgroup size, a power of two tuned to C), RED_LANES = LANES, and those of
// peaks/layout, peaks/estep and peaks/converge.

// Bindings: peaks/layout.

// The E-step view, published by thread 0 after each M-step: the peak lane groups (position,
// 1/sigma, coefficient, twice), the background coefficients, and (SHIRLEY) the step's coefficients.
var<workgroup> w_peaks: array<PL, 6>;
var<workgroup> w_bg: array<BL, 2>;
var<workgroup> w_step: array<PL, 2>;
var<workgroup> w_done: u32;
var<workgroup> w_pix: u32;

fn publish() {
  w_peaks = array<PL, 6>(e_pos0, e_inv0, e_coef0, e_pos1, e_inv1, e_coef1);
  w_bg = array<BL, 2>(e_bga, e_bgb);
  if (SHIRLEY) {
    w_step = array<PL, 2>(e_sh0, e_sh1);
  }
}

@compute @workgroup_size(RED_WG)
fn main(@builtin(local_invocation_index) tid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_workgroup(wid, nwg);
  if (i >= ctl.count) {
    return;
  }
  if (tid == 0u) {
    w_pix = live_pixels[i];
    w_done = 1u;
    if (load_state(w_pix * STATE)) {
      w_done = 0u;
      publish();
    }
  }
  if (workgroupUniformLoad(&w_done) != 0u) {
    return;
  }
  let pix = workgroupUniformLoad(&w_pix);
  let base = pix * STATE;
  let total = state[base + S_TOTAL];
  for (var it = 0u; it < ctl.iters; it++) {
    e_pos0 = w_peaks[0];
    e_inv0 = w_peaks[1];
    e_coef0 = w_peaks[2];
    e_pos1 = w_peaks[3];
    e_inv1 = w_peaks[4];
    e_coef1 = w_peaks[5];
    e_bga = w_bg[0];
    e_bgb = w_bg[1];
    if (SHIRLEY) {
      e_sh0 = w_step[0];
      e_sh1 = w_step[1];
    }
    let acc = estep(tid, RED_WG, pix * C, 1u);
    for (var l = 0u; l < LANES; l++) {
      red_buf[l * RED_WG + tid] = acc_lane(acc, l);
    }
    reduce_lanes(tid);
    if (tid == 0u) {
      for (var l = 0u; l < LANES; l++) {
        sums[l] = red_buf[l * RED_WG];
      }
      if (em_advance(base, total)) {
        w_done = 1u;
      } else {
        publish();
      }
    }
    if (workgroupUniformLoad(&w_done) != 0u) {
      return;
    }
  }
  if (tid == 0u) {
    store_state(base, p_llprev, ST_RUNNING);
    next_live[atomicAdd(&running[0], 1u)] = pix;
  }
}
