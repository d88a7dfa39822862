// k-means assignment: each pixel's label = the nearest class mean (ties to the lower class).
// Defines: K, D, NPIX.
@group(0) @binding(0) var<storage, read> data: array<f32>;
@group(0) @binding(1) var<storage, read> means: array<f32>;
@group(0) @binding(2) var<storage, read_write> labels: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let p = linear_workgroup(wid, nwg) * 64u + lid;
  if (p >= NPIX) {
    return;
  }
  let r2 = class_sq_dists(p);
  var best = 0u;
  for (var c = 1u; c < K; c++) {
    if (r2[c] < r2[best]) {
      best = c;
    }
  }
  labels[p] = best;
}
