// #import peaks/layout
// The closed-form M-step of both EM kernels (src/methods/peaks/em.ts mStep and the Gaussian's
// update in src/methods/peaks/components.ts), from the reduced E-step sums in `sums`.

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
