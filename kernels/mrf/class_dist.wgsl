// Squared distances of pixels' features to class means (loglik.wgsl, nearest.wgsl). The
// including kernel declares `data` [NPIX·DV] as vec4 (4 channels to a vec4, zero-padded) and
// includes classes.wgsl (KV). The means are bound here, 4 classes to a mat4x4f: column c & 3 of
// means[j · KV + (c >> 2)] is class c's channels 4j .. 4j+3 (zero-padded; classes >= K zero).
// A load per lane is the cost on SwiftShader, and one 64-byte load costs less than four vec4
// loads (`npm run bench -- loads`): the K <= 4 kernels read the four classes' quad at once.
// Defines: K, DV (= ceil(D / 4)), NPIX.
@group(0) @binding(1) var<storage, read> means: array<mat4x4f>;

// Pixels per thread of the K <= 4 kernels (nearest.wgsl, loglik.wgsl): each loaded quad of a
// class mean serves four pixels, so a pixel costs 2·DV loads instead of 5·DV. The host sizes
// the dispatch by it (src/methods/mrf/gpu.ts pixelGroups).
const PIX4: u32 = 4u;

// The squared distances of one feature quad v to the four class means' quads.
fn quad_dists(v: vec4f, m0: vec4f, m1: vec4f, m2: vec4f, m3: vec4f) -> vec4f {
  let d0 = v - m0;
  let d1 = v - m1;
  let d2 = v - m2;
  let d3 = v - m3;
  return vec4f(dot(d0, d0), dot(d1, d1), dot(d2, d2), dot(d3, d3));
}

// K <= 4: all four distances at once (means of classes >= K are zeros; their distances unused),
// for the four pixels p0..p3 (column i of the result is pixel p_i's).
fn class_sq_dists4x4(p0: u32, p1: u32, p2: u32, p3: u32) -> mat4x4f {
  var r0 = vec4f(0.0);
  var r1 = vec4f(0.0);
  var r2 = vec4f(0.0);
  var r3 = vec4f(0.0);
  for (var j = 0u; j < DV; j++) {
    let m = means[j];
    r0 += quad_dists(data[p0 * DV + j], m[0], m[1], m[2], m[3]);
    r1 += quad_dists(data[p1 * DV + j], m[0], m[1], m[2], m[3]);
    r2 += quad_dists(data[p2 * DV + j], m[0], m[1], m[2], m[3]);
    r3 += quad_dists(data[p3 * DV + j], m[0], m[1], m[2], m[3]);
  }
  return mat4x4f(r0, r1, r2, r3);
}

// The four pixels of thread `lid` in workgroup g of a K <= 4 kernel, strided by the workgroup
// size; those past the end repeat the last pixel (loaded, not stored: see pix4_valid).
fn pix4(g: u32, lid: u32) -> vec4u {
  let p0 = g * (64u * PIX4) + lid;
  let last = NPIX - 1u;
  return vec4u(min(p0, last), min(p0 + 64u, last), min(p0 + 128u, last), min(p0 + 192u, last));
}

fn pix4_valid(g: u32, lid: u32) -> vec4<bool> {
  let p0 = g * (64u * PIX4) + lid;
  return vec4u(p0, p0 + 64u, p0 + 128u, p0 + 192u) < vec4u(NPIX);
}

// Any K: the distance to class c.
fn class_sq_dist(p: u32, c: u32) -> f32 {
  var r2 = 0.0;
  for (var j = 0u; j < DV; j++) {
    let e = data[p * DV + j] - means[j * KV + (c >> 2u)][c & 3u];
    r2 += dot(e, e);
  }
  return r2;
}
