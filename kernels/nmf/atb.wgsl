// Column pass, partial sums of Aᵀ B over slices of rows: the product where the long (pixel)
// dimension is summed — Wᵀ X, Wᵀ W, Htᵀ Ht, column sums (B = ones).
//   A: rows × (4·aq) row-major (vec4 quads);  B: rows × (4·b4) row-major (vec4s).
//   out slice s (at slice_off + s): (4·b4) × (4·aq), i.e. out[c][t] = Σ_{i in slice} A[i][t] B[i][c].
// One thread: one quad of A's columns × 8 of B's columns (two vec4s); every row costs 3 loads
// and 8 vec4 FMAs, all in registers. Slices are the y workgroup index; reduce_slices sums them.
// Defines: WG.
struct Params {
  rows: u32,
  aq: u32,
  b4: u32,
  slice_rows: u32,
  slice_off: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<vec4f>;
@group(0) @binding(2) var<storage, read> B: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let pairs = (P.b4 + 1u) / 2u;
  if (gid.x >= pairs * P.aq) { return; }
  let q = gid.x % P.aq;
  let cb = gid.x / P.aq;
  let v0 = 2u * cb;
  let v1 = min(v0 + 1u, P.b4 - 1u);
  let s = wid.y;
  let start = s * P.slice_rows;
  let end = min(P.rows, start + P.slice_rows);
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  var c4 = vec4f(0.0); var c5 = vec4f(0.0); var c6 = vec4f(0.0); var c7 = vec4f(0.0);
  for (var i = start; i < end; i++) {
    let a = A[i * P.aq + q];
    let x = B[i * P.b4 + v0];
    let y = B[i * P.b4 + v1];
    c0 = fma(vec4f(x.x), a, c0);
    c1 = fma(vec4f(x.y), a, c1);
    c2 = fma(vec4f(x.z), a, c2);
    c3 = fma(vec4f(x.w), a, c3);
    c4 = fma(vec4f(y.x), a, c4);
    c5 = fma(vec4f(y.y), a, c5);
    c6 = fma(vec4f(y.z), a, c6);
    c7 = fma(vec4f(y.w), a, c7);
  }
  let base = (P.slice_off + s) * (4u * P.b4) * P.aq + q;
  let c = 4u * v0;
  out[base + c * P.aq] = c0;
  out[base + (c + 1u) * P.aq] = c1;
  out[base + (c + 2u) * P.aq] = c2;
  out[base + (c + 3u) * P.aq] = c3;
  if (v0 + 1u < P.b4) {
    out[base + (c + 4u) * P.aq] = c4;
    out[base + (c + 5u) * P.aq] = c5;
    out[base + (c + 6u) * P.aq] = c6;
    out[base + (c + 7u) * P.aq] = c7;
  }
}
