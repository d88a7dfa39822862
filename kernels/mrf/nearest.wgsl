// k-means assignment: each pixel's label = the nearest class mean (ties to the lower class).
// Defines: K, DV, NPIX.
@group(0) @binding(0) var<storage, read> data: array<vec4f>;
@group(0) @binding(1) var<storage, read> means: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> labels: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let p = linear_workgroup(wid, nwg) * 64u + lid;
  if (p >= NPIX) {
    return;
  }
  var best = 0u;
  if (K <= 4u) {
    let r2 = class_sq_dists4(p);
    var bv = r2.x;
    if (K > 1u && r2.y < bv) { best = 1u; bv = r2.y; }
    if (K > 2u && r2.z < bv) { best = 2u; bv = r2.z; }
    if (K > 3u && r2.w < bv) { best = 3u; }
  } else {
    var bv = class_sq_dist(p, 0u);
    for (var c = 1u; c < K; c++) {
      let r2 = class_sq_dist(p, c);
      if (r2 < bv) {
        best = c;
        bv = r2;
      }
    }
  }
  labels[p] = best;
}
