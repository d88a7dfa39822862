// #import lib/index
// Column pass, partial sums of Aᵀ B over slices of rows: the product where the long (pixel)
// dimension is summed — Wᵀ X, Wᵀ W, Htᵀ Ht, column sums (B = ones).
//   A: rows × (4·aq) row-major (vec4 quads);  B: rows × (4·b4) row-major (vec4s).
//   out slice s (at slice_off + s): (4·b4) × (4·aq), i.e. out[c][t] = Σ_{i in slice} A[i][t] B[i][c].
// One thread: one quad of A's columns × 16 of B's columns (four vec4s); every row costs 5 loads
// and 16 vec4 FMAs, all in registers (on SwiftShader loads, not FMAs, are the cost).
// reduce_slices sums the slices.
// Defines: WG, SYMMETRIC (A and B are the same matrix: upper block triangle only).
struct Params {
  rows: u32,
  aq: u32,
  b4: u32,
  slice_rows: u32,
  slice_off: u32,
  slices: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<vec4f>;
@group(0) @binding(2) var<storage, read> B: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // Threads are (slice, column group, quad), flattened so that no lane idles when a slice has few.
  let groups = (P.b4 + 3u) / 4u;
  let per_slice = groups * P.aq;
  let id = linear_workgroup(wid, nwg) * WG + lid;
  if (id >= per_slice * P.slices) { return; }
  let s = id / per_slice;
  let j = id % per_slice;
  let q = j % P.aq;
  let v0 = 4u * (j / P.aq);
  // A Gram matrix (A = B) is symmetric: only blocks reaching the upper triangle (output row c <=
  // column t somewhere in the block: 4·q + 3 >= 4·v0) are computed; the host mirrors them.
  if (SYMMETRIC && q < v0) { return; }
  let v1 = min(v0 + 1u, P.b4 - 1u);
  let v2 = min(v0 + 2u, P.b4 - 1u);
  let v3 = min(v0 + 3u, P.b4 - 1u);
  let start = s * P.slice_rows;
  let end = min(P.rows, start + P.slice_rows);
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  var c4 = vec4f(0.0); var c5 = vec4f(0.0); var c6 = vec4f(0.0); var c7 = vec4f(0.0);
  var c8 = vec4f(0.0); var c9 = vec4f(0.0); var c10 = vec4f(0.0); var c11 = vec4f(0.0);
  var c12 = vec4f(0.0); var c13 = vec4f(0.0); var c14 = vec4f(0.0); var c15 = vec4f(0.0);
  for (var i = start; i < end; i++) {
    let a = A[i * P.aq + q];
    let row = i * P.b4;
    let x = B[row + v0];
    let y = B[row + v1];
    let z = B[row + v2];
    let w = B[row + v3];
    c0 = fma(vec4f(x.x), a, c0);
    c1 = fma(vec4f(x.y), a, c1);
    c2 = fma(vec4f(x.z), a, c2);
    c3 = fma(vec4f(x.w), a, c3);
    c4 = fma(vec4f(y.x), a, c4);
    c5 = fma(vec4f(y.y), a, c5);
    c6 = fma(vec4f(y.z), a, c6);
    c7 = fma(vec4f(y.w), a, c7);
    c8 = fma(vec4f(z.x), a, c8);
    c9 = fma(vec4f(z.y), a, c9);
    c10 = fma(vec4f(z.z), a, c10);
    c11 = fma(vec4f(z.w), a, c11);
    c12 = fma(vec4f(w.x), a, c12);
    c13 = fma(vec4f(w.y), a, c13);
    c14 = fma(vec4f(w.z), a, c14);
    c15 = fma(vec4f(w.w), a, c15);
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
  if (v0 + 2u < P.b4) {
    out[base + (c + 8u) * P.aq] = c8;
    out[base + (c + 9u) * P.aq] = c9;
    out[base + (c + 10u) * P.aq] = c10;
    out[base + (c + 11u) * P.aq] = c11;
  }
  if (v0 + 3u < P.b4) {
    out[base + (c + 12u) * P.aq] = c12;
    out[base + (c + 13u) * P.aq] = c13;
    out[base + (c + 14u) * P.aq] = c14;
    out[base + (c + 15u) * P.aq] = c15;
  }
}
