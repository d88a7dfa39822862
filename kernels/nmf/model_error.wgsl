// #import lib/index
// Data X against the model WH (both rows × 4·m4, vec4s), one thread per pixel row:
//   MODE 0: per-row squared error Σ_c (x − wh)²
//   MODE 1: per-row generalised KL divergence Σ_c [x > EPS] (x log(x / max(wh, EPS)) − x) + wh
//   MODE 2: writes the ratio R = X / max(WH, EPS) (the KL updates' data term) instead of a sum.
// Modes 0/1 also write one partial sum per workgroup (tree in workgroup memory) for the loss.
// Defines: WG, MODE, EPS.
struct Params {
  rows: u32,
  m4: u32,
  part_off: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> X: array<vec4f>;
@group(0) @binding(2) var<storage, read> WH: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> rowOut: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<storage, read_write> R: array<vec4f>;

var<workgroup> tree: array<f32, WG>;

fn kl_terms(x: vec4f, wh: vec4f) -> f32 {
  let w = max(wh, vec4f(EPS));
  let t = select(vec4f(0.0), x * log(max(x, vec4f(EPS)) / w) - x, x > vec4f(EPS));
  return dot(t + wh, vec4f(1.0));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let g = linear_workgroup(wid, nwg);
  let r = g * WG + lid;
  let row = min(r, P.rows - 1u);
  var s = 0.0;
  for (var c = 0u; c < P.m4; c++) {
    let x = X[row * P.m4 + c];
    let wh = WH[row * P.m4 + c];
    if (MODE == 0u) {
      let d = x - wh;
      s += dot(d, d);
    } else if (MODE == 1u) {
      s += kl_terms(x, wh);
    } else if (r < P.rows) {
      R[row * P.m4 + c] = x / max(wh, vec4f(EPS));
    }
  }
  if (MODE == 2u) { return; }
  if (r >= P.rows) { s = 0.0; } else { rowOut[r] = s; }
  tree[lid] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) { tree[lid] += tree[lid + h]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partials[P.part_off + g] = tree[0]; }
}
