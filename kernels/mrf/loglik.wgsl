// #import lib/index
// #import mrf/classes
// #import mrf/class_dist
// Per-pixel class log-likelihood table, once per class-parameter update:
//   loglik[p, k] = coef[k].x · ||y_p - mu_k||^2 + coef[k].y,
// coef = (-1 / (2 s_k^2), -(D/2) log s_k^2) from the host; padding classes get PAD_LOGLIK.
// Table layout: KV vec4 per pixel (classes.wgsl). For K <= 4 also the likelihood weights of the
// Gibbs sweep at T = 1 (gibbs.wgsl), lik[p, k] = exp(loglik[p, k] - max_c loglik[p, c]) (padding 0);
// for K > 4 `lik` is bound but unused (left alone). Defines: K, DV, NPIX, PIXEL_BLOCKS (class_dist.wgsl).
@group(0) @binding(0) var<storage, read> data: array<vec4f>;
// means (binding 1): class_dist.wgsl.
@group(0) @binding(2) var<storage, read> coef: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> loglik: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> lik: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g0 = linear_workgroup(wid, nwg);
  // coef[2v] holds the scales of classes 4v..4v+3, coef[2v+1] their offsets.
  if (K <= 4u && PIXEL_BLOCKS) {
    // Sixteen pixels per thread in four groups (class_dist.wgsl PIX), block after block.
    for (var g = g0; g < PIX_BLOCKS; g += DIST_GROUPS) {
      let p0 = pix_group(g, lid, 0u);
      let p1 = pix_group(g, lid, 1u);
      let p2 = pix_group(g, lid, 2u);
      let p3 = pix_group(g, lid, 3u);
      let r = class_sq_dists16(p0, p1, p2, p3);
      store_group(p0, pix_group_valid(g, lid, 0u), r.g0);
      store_group(p1, pix_group_valid(g, lid, 1u), r.g1);
      store_group(p2, pix_group_valid(g, lid, 2u), r.g2);
      store_group(p3, pix_group_valid(g, lid, 3u), r.g3);
    }
    return;
  }
  let p = g0 * WG + lid;
  if (p >= NPIX) {
    return;
  }
  if (K <= 4u) {
    store4(p, coef[0] * class_sq_dists4(p) + coef[1]);
    return;
  }
  for (var v = 0u; v < KV; v++) {
    var out = vec4f(PAD_LOGLIK);
    for (var i = 0u; i < 4u; i++) {
      let c = 4u * v + i;
      if (c < K) {
        let l = vcomp(coef[2u * v], i) * class_sq_dist(p, c) + vcomp(coef[2u * v + 1u], i);
        out = select(out, vec4f(l), CLASS4 == vec4u(i));
      }
    }
    loglik[p * KV + v] = out;
  }
}

// K <= 4: the rows of four pixels p from their distances r (column i: pixel p_i), where ok.
fn store_group(p: vec4u, ok: vec4<bool>, r: mat4x4f) {
  let a = coef[0];
  let b = coef[1];
  if (ok.x) { store4(p.x, a * r[0] + b); }
  if (ok.y) { store4(p.y, a * r[1] + b); }
  if (ok.z) { store4(p.z, a * r[2] + b); }
  if (ok.w) { store4(p.w, a * r[3] + b); }
}

// K <= 4: the table row of pixel p and its likelihood weights.
fn store4(p: u32, l: vec4f) {
  loglik[p] = l;
  lik[p] = exp(l - vec4f(max(max(l.x, l.y), max(l.z, l.w))));
}
