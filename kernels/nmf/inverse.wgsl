// Inverse of the k×k Gram matrix WᵀW (stored 4kq × 4kq, zero-padded) by Gauss–Jordan with partial
// pivoting, one thread: semi-NMF's least-squares step Ht = (Wᵀ X)ᵀ (WᵀW)⁻¹. A ridge of RIDGE·mean
// diagonal keeps it solvable; a component whose pivot still vanishes (an empty map) gets a zero
// row and column, so its spectrum becomes zero instead of inf. Defines: K (valid), K4, RIDGE.
@group(0) @binding(0) var<storage, read> G: array<f32>;
@group(0) @binding(1) var<storage, read_write> Ginv: array<f32>;

var<private> a: array<f32, K * K>;
var<private> b: array<f32, K * K>;

@compute @workgroup_size(1)
fn main() {
  var tr = 0.0;
  for (var i = 0u; i < K; i++) { tr += G[i * K4 + i]; }
  let ridge = RIDGE * tr / f32(K);
  for (var i = 0u; i < K; i++) {
    for (var j = 0u; j < K; j++) {
      a[i * K + j] = G[i * K4 + j] + select(0.0, ridge, i == j);
      b[i * K + j] = select(0.0, 1.0, i == j);
    }
  }
  for (var c = 0u; c < K; c++) {
    var p = c;
    for (var i = c + 1u; i < K; i++) { if (abs(a[i * K + c]) > abs(a[p * K + c])) { p = i; } }
    for (var j = 0u; j < K; j++) {
      let t = a[c * K + j]; a[c * K + j] = a[p * K + j]; a[p * K + j] = t;
      let u = b[c * K + j]; b[c * K + j] = b[p * K + j]; b[p * K + j] = u;
    }
    let piv = a[c * K + c];
    if (abs(piv) <= 1e-30) {
      for (var j = 0u; j < K; j++) { b[c * K + j] = 0.0; a[c * K + j] = 0.0; }
      continue;
    }
    for (var j = 0u; j < K; j++) { a[c * K + j] /= piv; b[c * K + j] /= piv; }
    for (var i = 0u; i < K; i++) {
      if (i == c) { continue; }
      let f = a[i * K + c];
      for (var j = 0u; j < K; j++) { a[i * K + j] -= f * a[c * K + j]; b[i * K + j] -= f * b[c * K + j]; }
    }
  }
  for (var i = 0u; i < K4; i++) {
    for (var j = 0u; j < K4; j++) {
      Ginv[i * K4 + j] = select(0.0, b[i * K + j], i < K && j < K);
    }
  }
}
