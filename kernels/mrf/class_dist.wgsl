// #import mrf/classes
// Squared distances of pixels' features to class means (loglik.wgsl, nearest.wgsl). The
// including kernel declares `data` [NPIX·DV] as vec4 (4 channels to a vec4, zero-padded) and
// includes classes.wgsl (KV). The means are bound here, 4 classes to a mat4x4f: column c & 3 of
// means[j · KV + (c >> 2)] is class c's channels 4j .. 4j+3 (zero-padded; classes >= K zero).
// A load per lane is the cost on SwiftShader, and one 64-byte load costs less than four vec4
// loads (`npm run bench -- loads`): the K <= 4 kernels read the four classes' quad at once.
// PIXEL_BLOCKS: the K <= 4 kernels take 16 pixels per thread (below); else one pixel per thread
// (class_sq_dists4): lavapipe compiles each kernel at its first dispatch, scalarising every
// storage access per SIMD lane, so the unrolled 16-pixel blocks cost seconds of compile there.
// Defines: K, DV (= ceil(D / 4)), NPIX, DIST_GROUPS, PIXEL_BLOCKS.
@group(0) @binding(1) var<storage, read> means: array<mat4x4f>;

// Pixels per thread of the K <= 4 kernels (nearest.wgsl, loglik.wgsl), four groups of four,
// each group strided by the workgroup size: each loaded quad of the four class means (one
// mat4x4f) serves 16 pixels. Measured in the k-means assignment at 32 channels: 8 pixels per
// thread ~1.8× faster than 4, and 16 ~1.4× faster than 8 (docs/mrf.md). The host sizes the
// dispatch by it (src/methods/mrf/gpu.ts distanceGroups).
const PIX: u32 = 16u;
// Blocks of WG · PIX pixels. The K <= 4 kernels run DIST_GROUPS (<= 64 on a software adapter) workgroups, each looping
// over blocks g, g + DIST_GROUPS, ...: SwiftShader pays per workgroup, and 64 workgroups looping
// ran the assignment ~1.7x faster than one workgroup per block (256 at 512×512; docs/mrf.md).
const PIX_BLOCKS = (NPIX + WG * PIX - 1u) / (WG * PIX);

// The squared distances of one feature quad v to the four class means' quads (the columns of m).
fn quad_dists(v: vec4f, m: mat4x4f) -> vec4f {
  let d0 = v - m[0];
  let d1 = v - m[1];
  let d2 = v - m[2];
  let d3 = v - m[3];
  return vec4f(dot(d0, d0), dot(d1, d1), dot(d2, d2), dot(d3, d3));
}

// Distances of a thread's four groups of four pixels: column i of g_n is pixel p_n[i]'s.
struct Dists16 {
  g0: mat4x4f,
  g1: mat4x4f,
  g2: mat4x4f,
  g3: mat4x4f,
}

// K <= 4: all four distances at once (means of classes >= K are zeros; their distances unused),
// for the pixels of the four groups p0 .. p3 (registers, no private arrays: classes.wgsl).
fn class_sq_dists16(p0: vec4u, p1: vec4u, p2: vec4u, p3: vec4u) -> Dists16 {
  var r00 = vec4f(0.0);
  var r01 = vec4f(0.0);
  var r02 = vec4f(0.0);
  var r03 = vec4f(0.0);
  var r10 = vec4f(0.0);
  var r11 = vec4f(0.0);
  var r12 = vec4f(0.0);
  var r13 = vec4f(0.0);
  var r20 = vec4f(0.0);
  var r21 = vec4f(0.0);
  var r22 = vec4f(0.0);
  var r23 = vec4f(0.0);
  var r30 = vec4f(0.0);
  var r31 = vec4f(0.0);
  var r32 = vec4f(0.0);
  var r33 = vec4f(0.0);
  for (var j = 0u; j < DV; j++) {
    let m = means[j];
    r00 += quad_dists(data[p0.x * DV + j], m);
    r01 += quad_dists(data[p0.y * DV + j], m);
    r02 += quad_dists(data[p0.z * DV + j], m);
    r03 += quad_dists(data[p0.w * DV + j], m);
    r10 += quad_dists(data[p1.x * DV + j], m);
    r11 += quad_dists(data[p1.y * DV + j], m);
    r12 += quad_dists(data[p1.z * DV + j], m);
    r13 += quad_dists(data[p1.w * DV + j], m);
    r20 += quad_dists(data[p2.x * DV + j], m);
    r21 += quad_dists(data[p2.y * DV + j], m);
    r22 += quad_dists(data[p2.z * DV + j], m);
    r23 += quad_dists(data[p2.w * DV + j], m);
    r30 += quad_dists(data[p3.x * DV + j], m);
    r31 += quad_dists(data[p3.y * DV + j], m);
    r32 += quad_dists(data[p3.z * DV + j], m);
    r33 += quad_dists(data[p3.w * DV + j], m);
  }
  return Dists16(mat4x4f(r00, r01, r02, r03), mat4x4f(r10, r11, r12, r13), mat4x4f(r20, r21, r22, r23), mat4x4f(r30, r31, r32, r33));
}

// DV, the channel loops' bound for pixel p. Without PIXEL_BLOCKS (lavapipe) a bound the compiler
// cannot fold (no pixel is 0xffffffff) keeps those loops rolled: unrolled, each quad's load is
// one more access site that lavapipe scalarises per SIMD lane and compiles.
fn channel_quads(p: u32) -> u32 {
  if (PIXEL_BLOCKS) {
    return DV;
  }
  return select(DV, 0u, p == 0xffffffffu);
}

// K <= 4, one pixel p: its squared distances to the four class means (classes >= K unused).
fn class_sq_dists4(p: u32) -> vec4f {
  var r = vec4f(0.0);
  for (var j = 0u; j < channel_quads(p); j++) {
    r += quad_dists(data[p * DV + j], means[j]);
  }
  return r;
}

// Group n (0 .. 3) of the pixels of thread `lid` in workgroup g of a K <= 4 kernel; those past
// the end repeat the last pixel (loaded, not stored: see pix_group_valid).
fn pix_group(g: u32, lid: u32, n: u32) -> vec4u {
  return min(pix_group_unclamped(g, lid, n), vec4u(NPIX - 1u));
}

fn pix_group_valid(g: u32, lid: u32, n: u32) -> vec4<bool> {
  return pix_group_unclamped(g, lid, n) < vec4u(NPIX);
}

fn pix_group_unclamped(g: u32, lid: u32, n: u32) -> vec4u {
  return vec4u(g * (WG * PIX) + 4u * WG * n + lid) + vec4u(0u, 1u, 2u, 3u) * WG;
}

// Any K: the distance to class c.
fn class_sq_dist(p: u32, c: u32) -> f32 {
  var r2 = 0.0;
  for (var j = 0u; j < channel_quads(p); j++) {
    let e = data[p * DV + j] - means[j * KV + (c >> 2u)][c & 3u];
    r2 += dot(e, e);
  }
  return r2;
}
