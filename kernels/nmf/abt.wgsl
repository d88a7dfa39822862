// Row pass, C = A · B: the product every NMF variant uses where the long (pixel) dimension stays
// outside the sum — X Hᵀ, W G, W H, P G⁻¹.
//   A: rows × (4·inner4) row-major, read as vec4;  B: (4·inner4) × (4·nq) row-major, read as vec4
//   quads;  C: rows × (4·nq).
// One thread computes 4 rows (strided by WG) × one quad of 4 output columns. On SwiftShader every
// buffer or workgroup-memory load is costly while registers are cheap, so B is read straight from
// the storage buffer (the same address in every lane) and each loaded vec4 feeds 4 or 16 FMAs;
// no workgroup memory, no barriers. Defines: WG.
struct Params {
  rows: u32,
  inner4: u32,
  nq: u32,
  _pad: u32,
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
  let q = g % P.nq;
  let r0 = (g / P.nq) * (WG * 4u) + lid;
  let last = P.rows - 1u;
  let o0 = min(r0, last) * P.inner4;
  let o1 = min(r0 + WG, last) * P.inner4;
  let o2 = min(r0 + 2u * WG, last) * P.inner4;
  let o3 = min(r0 + 3u * WG, last) * P.inner4;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  for (var c = 0u; c < P.inner4; c++) {
    let bo = 4u * c * P.nq + q;
    let b0 = B[bo];
    let b1 = B[bo + P.nq];
    let b2 = B[bo + 2u * P.nq];
    let b3 = B[bo + 3u * P.nq];
    a0 = quad(A[o0 + c], b0, b1, b2, b3, a0);
    a1 = quad(A[o1 + c], b0, b1, b2, b3, a1);
    a2 = quad(A[o2 + c], b0, b1, b2, b3, a2);
    a3 = quad(A[o3 + c], b0, b1, b2, b3, a3);
  }
  if (r0 < P.rows) { C[r0 * P.nq + q] = a0; }
  if (r0 + WG < P.rows) { C[(r0 + WG) * P.nq + q] = a1; }
  if (r0 + 2u * WG < P.rows) { C[(r0 + 2u * WG) * P.nq + q] = a2; }
  if (r0 + 3u * WG < P.rows) { C[(r0 + 3u * WG) * P.nq + q] = a3; }
}
