// #import lib/index
// #import mrf/classes
// #import mrf/class_dist
// k-means assignment: each pixel's label = the nearest class mean (ties to the lower class).
// MASKED (a pixel mask is in use): a pixel labelled K (left out, src/methods/mrf/gpu.ts) keeps K.
// Defines: K, DV, NPIX, MASKED, PIXEL_BLOCKS (class_dist.wgsl).
@group(0) @binding(0) var<storage, read> data: array<vec4f>;
// means (binding 1): class_dist.wgsl.
@group(0) @binding(2) var<storage, read_write> labels: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g0 = linear_workgroup(wid, nwg);
  if (K <= 4u && PIXEL_BLOCKS) {
    // Sixteen pixels per thread in four groups (class_dist.wgsl PIX), block after block.
    for (var g = g0; g < PIX_BLOCKS; g += DIST_GROUPS) {
      let p0 = pix_group(g, lid, 0u);
      let p1 = pix_group(g, lid, 1u);
      let p2 = pix_group(g, lid, 2u);
      let p3 = pix_group(g, lid, 3u);
      let r = class_sq_dists16(p0, p1, p2, p3);
      assign4(p0, pix_group_valid(g, lid, 0u), r.g0);
      assign4(p1, pix_group_valid(g, lid, 1u), r.g1);
      assign4(p2, pix_group_valid(g, lid, 2u), r.g2);
      assign4(p3, pix_group_valid(g, lid, 3u), r.g3);
    }
    return;
  }
  let p = g0 * WG + lid;
  if (p >= NPIX) {
    return;
  }
  if (K <= 4u) {
    labels[p] = kept(p, nearest4(class_sq_dists4(p)));
    return;
  }
  var best = 0u;
  var bv = class_sq_dist(p, 0u);
  for (var c = 1u; c < K; c++) {
    let r2 = class_sq_dist(p, c);
    if (r2 < bv) {
      best = c;
      bv = r2;
    }
  }
  labels[p] = kept(p, best);
}

// The new label z of pixel p, or K where p is masked (its label is K).
fn kept(p: u32, z: u32) -> u32 {
  if (MASKED) {
    return select(z, K, labels[p] == K);
  }
  return z;
}

// K <= 4: the labels of four pixels p from their distances r (column i: pixel p_i), where ok.
fn assign4(p: vec4u, ok: vec4<bool>, r: mat4x4f) {
  if (ok.x) { labels[p.x] = kept(p.x, nearest4(r[0])); }
  if (ok.y) { labels[p.y] = kept(p.y, nearest4(r[1])); }
  if (ok.z) { labels[p.z] = kept(p.z, nearest4(r[2])); }
  if (ok.w) { labels[p.w] = kept(p.w, nearest4(r[3])); }
}

// The class of the smallest of the first K distances (ties to the lower class).
fn nearest4(r2: vec4f) -> u32 {
  var best = 0u;
  var bv = r2.x;
  if (K > 1u && r2.y < bv) { best = 1u; bv = r2.y; }
  if (K > 2u && r2.z < bv) { best = 2u; bv = r2.z; }
  if (K > 3u && r2.w < bv) { best = 3u; }
  return best;
}
