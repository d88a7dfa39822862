// #import lib/index
// Row pass, C = A · B: the product every NMF variant uses where the long (pixel) dimension stays
// outside the sum — X Hᵀ, W G, W H, P G⁻¹.
//   A: rows × (4·inner4) row-major, read as vec4;  B: (4·inner4) × (4·nq) row-major, read as vec4
//   quads;  C: rows × (4·nq).
// One thread computes 8 rows (strided by WG) × QB (1 or 2) quads of 4 output columns. On
// SwiftShader every buffer or workgroup-memory load is costly while registers are cheap, so B is
// read straight from the storage buffer (the same address in every lane), each loaded vec4 of A
// feeds 4·QB FMAs and each of B 8; no workgroup memory, no barriers. Defines: WG, QB.
struct Params {
  rows: u32,
  inner4: u32,
  nq: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<vec4f>;
@group(0) @binding(2) var<storage, read> B: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> C: array<vec4f>;

// acc += x.x·b0 + x.y·b1 + x.z·b2 + x.w·b3: one vec4 of A against a 4×4 block of B.
fn quad(x: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f, acc: vec4f) -> vec4f {
  return fma(vec4f(x.w), b3, fma(vec4f(x.z), b2, fma(vec4f(x.y), b1, fma(vec4f(x.x), b0, acc))));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let g = linear_workgroup(wid, nwg);
  let pairs = (P.nq + QB - 1u) / QB;
  let q = (g % pairs) * QB;
  let q1 = min(q + 1u, P.nq - 1u);
  let r0 = (g / pairs) * (WG * 8u) + lid;
  let last = P.rows - 1u;
  let o0 = min(r0, last) * P.inner4;
  let o1 = min(r0 + WG, last) * P.inner4;
  let o2 = min(r0 + 2u * WG, last) * P.inner4;
  let o3 = min(r0 + 3u * WG, last) * P.inner4;
  let o4 = min(r0 + 4u * WG, last) * P.inner4;
  let o5 = min(r0 + 5u * WG, last) * P.inner4;
  let o6 = min(r0 + 6u * WG, last) * P.inner4;
  let o7 = min(r0 + 7u * WG, last) * P.inner4;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  var a4 = vec4f(0.0);
  var a5 = vec4f(0.0);
  var a6 = vec4f(0.0);
  var a7 = vec4f(0.0);
  var e0 = vec4f(0.0);
  var e1 = vec4f(0.0);
  var e2 = vec4f(0.0);
  var e3 = vec4f(0.0);
  var e4 = vec4f(0.0);
  var e5 = vec4f(0.0);
  var e6 = vec4f(0.0);
  var e7 = vec4f(0.0);
  for (var c = 0u; c < P.inner4; c++) {
    let bo = 4u * c * P.nq;
    let b0 = B[bo + q];
    let b1 = B[bo + P.nq + q];
    let b2 = B[bo + 2u * P.nq + q];
    let b3 = B[bo + 3u * P.nq + q];
    let x0 = A[o0 + c];
    let x1 = A[o1 + c];
    let x2 = A[o2 + c];
    let x3 = A[o3 + c];
    let x4 = A[o4 + c];
    let x5 = A[o5 + c];
    let x6 = A[o6 + c];
    let x7 = A[o7 + c];
    a0 = quad(x0, b0, b1, b2, b3, a0);
    a1 = quad(x1, b0, b1, b2, b3, a1);
    a2 = quad(x2, b0, b1, b2, b3, a2);
    a3 = quad(x3, b0, b1, b2, b3, a3);
    a4 = quad(x4, b0, b1, b2, b3, a4);
    a5 = quad(x5, b0, b1, b2, b3, a5);
    a6 = quad(x6, b0, b1, b2, b3, a6);
    a7 = quad(x7, b0, b1, b2, b3, a7);
    if (QB == 2u) {
      let d0 = B[bo + q1];
      let d1 = B[bo + P.nq + q1];
      let d2 = B[bo + 2u * P.nq + q1];
      let d3 = B[bo + 3u * P.nq + q1];
      e0 = quad(x0, d0, d1, d2, d3, e0);
      e1 = quad(x1, d0, d1, d2, d3, e1);
      e2 = quad(x2, d0, d1, d2, d3, e2);
      e3 = quad(x3, d0, d1, d2, d3, e3);
      e4 = quad(x4, d0, d1, d2, d3, e4);
      e5 = quad(x5, d0, d1, d2, d3, e5);
      e6 = quad(x6, d0, d1, d2, d3, e6);
      e7 = quad(x7, d0, d1, d2, d3, e7);
    }
  }
  if (r0 < P.rows) {
    C[(r0) * P.nq + q] = a0;
    if (QB == 2u && q + 1u < P.nq) { C[(r0) * P.nq + q1] = e0; }
  }
  if (r0 + WG < P.rows) {
    C[(r0 + WG) * P.nq + q] = a1;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + WG) * P.nq + q1] = e1; }
  }
  if (r0 + 2u * WG < P.rows) {
    C[(r0 + 2u * WG) * P.nq + q] = a2;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + 2u * WG) * P.nq + q1] = e2; }
  }
  if (r0 + 3u * WG < P.rows) {
    C[(r0 + 3u * WG) * P.nq + q] = a3;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + 3u * WG) * P.nq + q1] = e3; }
  }
  if (r0 + 4u * WG < P.rows) {
    C[(r0 + 4u * WG) * P.nq + q] = a4;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + 4u * WG) * P.nq + q1] = e4; }
  }
  if (r0 + 5u * WG < P.rows) {
    C[(r0 + 5u * WG) * P.nq + q] = a5;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + 5u * WG) * P.nq + q1] = e5; }
  }
  if (r0 + 6u * WG < P.rows) {
    C[(r0 + 6u * WG) * P.nq + q] = a6;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + 6u * WG) * P.nq + q1] = e6; }
  }
  if (r0 + 7u * WG < P.rows) {
    C[(r0 + 7u * WG) * P.nq + q] = a7;
    if (QB == 2u && q + 1u < P.nq) { C[(r0 + 7u * WG) * P.nq + q1] = e7; }
  }
}
