// Per-pixel class log-likelihood table, once per class-parameter update:
//   loglik[p, k] = coef[2k] · ||y_p - mu_k||^2 + coef[2k+1],
// coef = (-1 / (2 s_k^2), -(D/2) log s_k^2) from the host. Defines: K, D, NPIX.
@group(0) @binding(0) var<storage, read> data: array<f32>;
@group(0) @binding(1) var<storage, read> means: array<f32>;
@group(0) @binding(2) var<storage, read> coef: array<f32>;
@group(0) @binding(3) var<storage, read_write> loglik: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let p = linear_workgroup(wid, nwg) * 64u + lid;
  if (p >= NPIX) {
    return;
  }
  let r2 = class_sq_dists(p);
  for (var c = 0u; c < K; c++) {
    loglik[p * K + c] = coef[2u * c] * r2[c] + coef[2u * c + 1u];
  }
}
