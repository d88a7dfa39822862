// HALS (coordinate descent) for a factor F (rows × 4·kq), every row at once, components in turn:
// for t = 0..k-1,
//   F_rt ← max(0, F_rt − (F_r·G_t − Num_rt + l1_t + wo·Σ_{j≠t} F_rj) / G_tt)
// G is the Gram matrix of the other factor (symmetric, 4kq × 4kq as quads), Num the data product
// (X Hᵀ for W, Wᵀ X for Ht); wo > 0 adds the soft-orthogonality penalty wo·Σ_{j≠l} f_jᵀ f_l (NMF-SO).
// Rows are independent, so this is exactly sklearn's per-component sweep. For k ≤ 8 the row stays
// in two vec4 registers (one load instead of k); beyond, it is re-read from storage for each t.
// VIOLATION: also write each row's Σ_t |projected gradient| (the gradient before the step; only its
// negative part where F_rt = 0), scikit-learn's 'cd' stopping quantity, to V[r].x.
// Defines: WG, VIOLATION.
struct Params {
  rows: u32,
  kq: u32,
  k: u32,
  wo: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> F: array<vec4f>;
@group(0) @binding(2) var<storage, read> Num: array<vec4f>;
@group(0) @binding(3) var<storage, read> G: array<vec4f>;
@group(0) @binding(4) var<storage, read> l1: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> V: array<vec4f>;

// |projected gradient| of a coordinate at `old` (only a descent direction counts at the bound).
fn projected(grad: f32, old: f32) -> f32 {
  return abs(select(grad, min(grad, 0.0), old == 0.0));
}

// k > 8: the row in storage, read again for each component.
fn sweep_in_storage(r: u32) -> f32 {
  var viol = 0.0;
  for (var t = 0u; t < P.k; t++) {
    let tq = t / 4u;
    let tl = t % 4u;
    let hess = G[t * P.kq + tq][tl];
    if (hess <= 0.0) { continue; }
    var grad = 0.0;
    var rowsum = 0.0;
    for (var q = 0u; q < P.kq; q++) {
      let f = F[r * P.kq + q];
      grad += dot(f, G[t * P.kq + q]);
      rowsum += dot(f, vec4f(1.0));
    }
    var fq = F[r * P.kq + tq];
    let old = fq[tl];
    grad += l1[tq][tl] - Num[r * P.kq + tq][tl] + P.wo * (rowsum - old);
    viol += projected(grad, old);
    fq[tl] = max(0.0, old - grad / hess);
    F[r * P.kq + tq] = fq;
  }
  return viol;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r >= P.rows) { return; }
  if (P.kq > 2u) {
    let viol = sweep_in_storage(r);
    if (VIOLATION) { V[r] = vec4f(viol, 0.0, 0.0, 0.0); }
    return;
  }
  let two = P.kq > 1u;
  let o = r * P.kq;
  var f0 = F[o];
  var f1 = vec4f(0.0);
  var n1 = vec4f(0.0);
  var p1 = vec4f(0.0);
  if (two) {
    f1 = F[o + 1u];
    n1 = Num[o + 1u];
    p1 = l1[1];
  }
  let n0 = Num[o];
  let p0 = l1[0];
  var viol = 0.0;
  for (var t = 0u; t < P.k; t++) {
    let g0 = G[t * P.kq];
    var g1 = vec4f(0.0);
    if (two) { g1 = G[t * P.kq + 1u]; }
    let lo = t < 4u;
    let l = t % 4u;
    let hess = select(g1[l], g0[l], lo);
    if (hess <= 0.0) { continue; }
    let old = select(f1[l], f0[l], lo);
    let rowsum = dot(f0 + f1, vec4f(1.0));
    let grad = dot(f0, g0) + dot(f1, g1) - select(n1[l], n0[l], lo) + select(p1[l], p0[l], lo) + P.wo * (rowsum - old);
    viol += projected(grad, old);
    let v = max(0.0, old - grad / hess);
    if (lo) { f0[l] = v; } else { f1[l] = v; }
  }
  F[o] = f0;
  if (two) { F[o + 1u] = f1; }
  if (VIOLATION) { V[r] = vec4f(viol, 0.0, 0.0, 0.0); }
}
