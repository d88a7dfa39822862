// out (cols × rows) = in (rows × cols)ᵀ, f32 row-major; turns the stored spectra Ht into H for W·H.
// Defines: WG.
struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * WG;
  if (e >= P.rows * P.cols) { return; }
  let i = e / P.cols;
  let j = e % P.cols;
  dst[j * P.rows + i] = src[e];
}
