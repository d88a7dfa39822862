// #import lib/index
// #import peaks/layout
// #import peaks/estep
// #import peaks/mstep
// #import peaks/converge
// Spectrum-adapted EM, one thread per pixel: each invocation runs its pixel's whole E-step over
// the channels and its own M-step. No workgroup memory and no barriers: on a software backend
// (SwiftShader) a barrier costs a fiber switch per SIMD group, which dominated the
// workgroup-per-pixel kernel (em_workgroup.wgsl); on hardware, neighbouring threads read
// neighbouring pixels of the channel-major layout, so loads coalesce.
//
// Each dispatch runs up to ctl.iters EM iterations for the pixels listed in `live_pixels`, resuming
// from `state`; a pixel that converges (or reaches the iteration limit) stores its final state
// and drops out; one still running appends itself to `next_live` (running[0] counts them), so
// the next dispatch spends no lanes on finished pixels.
//
// Defines: WG (the engine's workgroup size) and those of peaks/layout, peaks/estep and
// peaks/converge.

// Bindings: peaks/layout.

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_workgroup(wid, nwg) * WG + lid;
  if (i >= ctl.count) {
    return;
  }
  let pix = live_pixels[i];
  let base = pix * STATE;
  if (!load_state(base)) {
    return;
  }
  let total = state[base + S_TOTAL];
  for (var it = 0u; it < ctl.iters; it++) {
    let acc = estep(0u, 1u, pix, ctl.npix);
    for (var l = 0u; l < LANES; l++) {
      sums[l] = acc_lane(acc, l);
    }
    if (em_advance(base, total)) {
      return;
    }
  }
  store_state(base, p_llprev, ST_RUNNING);
  next_live[atomicAdd(&running[0], 1u)] = pix;
}
