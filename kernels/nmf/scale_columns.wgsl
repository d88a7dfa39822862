// Rescales the columns of a factor F (rows × 4·kq) by the diagonal of a Gram matrix G
// (4kq × 4kq): MODE 0 divides column t by sqrt(G_tt), MODE 1 multiplies by it. NMF-SO keeps the
// spectra at unit norm this way while the maps absorb the scale, leaving W·H unchanged.
// Defines: WG, MODE.
struct Params {
  count4: u32,
  kq: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> F: array<vec4f>;
@group(0) @binding(2) var<storage, read> G: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * WG;
  if (e >= P.count4) { return; }
  let q = e % P.kq;
  let k4 = 4u * P.kq;
  var s = vec4f(1.0);
  for (var l = 0u; l < 4u; l++) {
    let t = 4u * q + l;
    let d = sqrt(max(G[t * k4 + t], 0.0));
    if (d > 0.0) { s[l] = select(1.0 / d, d, MODE == 1u); }
  }
  F[e] = F[e] * s;
}
