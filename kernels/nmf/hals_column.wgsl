// One HALS (coordinate descent) step for column t of a factor F (rows × 4·kq), every row at once:
//   F_rt ← max(0, F_rt − (F_r·G_t − Num_rt + l1_t + wo·Σ_{j≠t} F_rj) / G_tt)
// G is the Gram matrix of the other factor (symmetric, 4kq × 4kq as quads), Num the data product
// (X Hᵀ for W, Wᵀ X for Ht); wo > 0 adds the soft-orthogonality penalty wo·Σ_{j≠l} f_jᵀ f_l (NMF-SO).
// Rows are independent, so running t = 0..k-1 as k dispatches is exactly sklearn's per-row sweep.
// Defines: WG.
struct Params {
  rows: u32,
  kq: u32,
  t: u32,
  _p0: u32,
  wo: f32,
  _p1: f32,
  _p2: f32,
  _p3: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> F: array<vec4f>;
@group(0) @binding(2) var<storage, read> Num: array<vec4f>;
@group(0) @binding(3) var<storage, read> G: array<vec4f>;
@group(0) @binding(4) var<storage, read> l1: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r >= P.rows) { return; }
  let tq = P.t / 4u;
  let tl = P.t % 4u;
  let hess = G[P.t * P.kq + tq][tl];
  if (hess <= 0.0) { return; }
  var grad = 0.0;
  var rowsum = 0.0;
  for (var q = 0u; q < P.kq; q++) {
    let f = F[r * P.kq + q];
    grad += dot(f, G[P.t * P.kq + q]);
    rowsum += f.x + f.y + f.z + f.w;
  }
  var fq = F[r * P.kq + tq];
  let old = fq[tl];
  grad += l1[tq][tl] - Num[r * P.kq + tq][tl] + P.wo * (rowsum - old);
  fq[tl] = max(0.0, old - grad / hess);
  F[r * P.kq + tq] = fq;
}
