// #import peaks/layout
// #import peaks/estep
// #import peaks/mstep
// The iteration of both EM kernels around the E-step: resume a pixel, test convergence after each
// E-step, then store the final state or run the M-step (src/methods/peaks/em.ts fitSpectrum and
// hasConverged). Needs the define SHIRLEY_DROP (f32: em.ts SHIRLEY_DROP_FACTOR) and SHIRLEY.

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
