// #import lib/index
// #import mrf/classes
// #import mrf/blocks
// Class sums of the current labels around centres c_k, per strip of STRIP pixels (with
// summary.wgsl for the loglik and like-edge sums; src/methods/mrf/cpu.ts stats()). Thread
// (strip, channel block b) sums over its strip's pixels p, per class k of the pixel's label:
// E = y_p - c_k over the block's 16 channels (4 quads, a mat4x4f: blocks_mat.wgsl or
// blocks_vec4.wgsl declare `data` and read it), ||E||² and the pixel count. Per quad jv of
// the block (jv < DV) and class k, with t = strip · DV + jv:
//   partial[(t · K + k) · 2]      = Σ e (vec4 over the quad's 4 channels),
//   partial[(t · K + k) · 2 + 1]  = (Σ ||E||² in the block's first quad, else 0; n_k; 0; 0);
// the host adds the strips in float64 and ||E||² over the blocks, and takes n_k from quad 0.
// Labels are read 4 at a time (STRIP is a multiple of 4, the labels buffer padded to whole
// vec4): a label load per 4 pixels and block, each load a per-lane load on SwiftShader.
// means: the centres c_k, 4 channels to a vec4, zero-padded, [K·DV]. A pixel labelled K (left
// out by a pixel mask, or past the strip's end) matches no class and adds nothing.
// QUAD_THREADS (lavapipe): a thread per (strip, quad jv) instead, the classes four at a time, the
// loops rolled; per quad jv and class k it writes Σ e and (Σ ||e||² over the quad, n_k, 0, 0),
// which the host reads alike. lavapipe compiles each kernel at its
// first dispatch, scalarising every storage access per SIMD lane: fewer access sites, less compile.
// Defines: K, DV, NPIX, STRIP, NSTRIPS, QUAD_THREADS.
@group(0) @binding(1) var<storage, read> means: array<vec4f>;
@group(0) @binding(2) var<storage, read> labels4: array<vec4u>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec4f>;

// The centre of class c over channel block b (quads 4b .. 4b+3; zeros past DV, not loaded).
fn mean_block(c: u32, b: u32) -> mat4x4f {
  let q = c * DV + 4u * b;
  var m = mat4x4f();
  m[0] = means[q];
  if (4u * b + 1u < DV) { m[1] = means[q + 1u]; }
  if (4u * b + 2u < DV) { m[2] = means[q + 2u]; }
  if (4u * b + 3u < DV) { m[3] = means[q + 3u]; }
  return m;
}

// The squared norm of a block.
fn sq_norm(e: mat4x4f) -> f32 {
  return dot(e[0], e[0]) + dot(e[1], e[1]) + dot(e[2], e[2]) + dot(e[3], e[3]);
}

// One class's sums of thread (strip, b) to partial (layout above); o = the thread's first quad's offset.
fn put(o: u32, b: u32, c: u32, s: mat4x4f, q: f32, n: f32) {
  let at = o + 2u * c;
  partial[at] = s[0];
  partial[at + 1u] = vec4f(q, n, 0.0, 0.0);
  let rest = vec4f(0.0, n, 0.0, 0.0);
  if (4u * b + 1u < DV) { partial[at + 2u * K] = s[1]; partial[at + 2u * K + 1u] = rest; }
  if (4u * b + 2u < DV) { partial[at + 4u * K] = s[2]; partial[at + 4u * K + 1u] = rest; }
  if (4u * b + 3u < DV) { partial[at + 6u * K] = s[3]; partial[at + 6u * K + 1u] = rest; }
}

// Column-wise select of a matrix.
fn pick(f: mat4x4f, t: mat4x4f, cond: bool) -> mat4x4f {
  return mat4x4f(select(f[0], t[0], cond), select(f[1], t[1], cond), select(f[2], t[2], cond), select(f[3], t[3], cond));
}

// QUAD_THREADS: thread t's sums over its strip's pixels for channel quad t % DV.
fn quad_sums(t: u32) {
  let strip = t / DV;
  let jv = t % DV;
  if (strip >= NSTRIPS) {
    return;
  }
  let first = strip * STRIP;
  let end = min(NPIX, first + STRIP);
  let o = (strip * DV + jv) * K * 2u;
  for (var c4 = 0u; c4 < K; c4 += 4u) {
    // Classes c4 .. c4 + 3 (those past K repeat the last class and are not written).
    let m0 = means[c4 * DV + jv];
    let m1 = means[min(c4 + 1u, K - 1u) * DV + jv];
    let m2 = means[min(c4 + 2u, K - 1u) * DV + jv];
    let m3 = means[min(c4 + 3u, K - 1u) * DV + jv];
    var s = mat4x4f();
    var q = vec4f(0.0);
    var n = vec4f(0.0);
    for (var p = first; p < end; p++) {
      // The label relative to c4: pixels of other classes (and label K, none) match no column.
      let z = labels4[p / 4u][p % 4u] - c4;
      let e = feature_quad(p, jv) - select(select(select(m0, m1, z == 1u), m2, z == 2u), m3, z == 3u);
      let h = vec4f(CLASS4 == vec4u(z));
      s += mat4x4f(e * h.x, e * h.y, e * h.z, e * h.w);
      q += h * dot(e, e);
      n += h;
    }
    let at = o + 2u * c4;
    partial[at] = s[0];
    partial[at + 1u] = vec4f(q.x, n.x, 0.0, 0.0);
    if (c4 + 1u < K) { partial[at + 2u] = s[1]; partial[at + 3u] = vec4f(q.y, n.y, 0.0, 0.0); }
    if (c4 + 2u < K) { partial[at + 4u] = s[2]; partial[at + 5u] = vec4f(q.z, n.z, 0.0, 0.0); }
    if (c4 + 3u < K) { partial[at + 6u] = s[3]; partial[at + 7u] = vec4f(q.w, n.w, 0.0, 0.0); }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * WG + lid;
  if (QUAD_THREADS) {
    quad_sums(t);
    return;
  }
  let strip = t / DB;
  let b = t % DB;
  if (strip >= NSTRIPS) {
    return;
  }
  let first = strip * STRIP;
  let end = min(NPIX, first + STRIP);
  let last = end - 1u;
  let o = (strip * DV + 4u * b) * K * 2u;
  if (K <= 4u) {
    // All classes in one pass, in named accumulators (no private arrays: classes.wgsl);
    // ||E||² and the counts of the 4 classes as one vec4 each.
    var s0 = mat4x4f();
    var s1 = mat4x4f();
    var s2 = mat4x4f();
    var s3 = mat4x4f();
    var q = vec4f(0.0);
    var n = vec4f(0.0);
    // The thread's block of the K centres, loaded once (not per pixel).
    let m0 = mean_block(0u, b);
    let m1 = mean_block(min(1u, K - 1u), b);
    let m2 = mean_block(min(2u, K - 1u), b);
    let m3 = mean_block(min(3u, K - 1u), b);
    for (var p4 = first; p4 < end; p4 += 4u) {
      let z4 = labels4[p4 / 4u];
      for (var i = 0u; i < 4u; i++) {
        let z = select(K, vcomp_u(z4, i), p4 + i < end);
        let e = feature_block(min(p4 + i, last), b) - pick(pick(pick(m0, m1, z == 1u), m2, z == 2u), m3, z == 3u);
        let h = vec4f(CLASS4 == vec4u(z));
        s0 += e * h.x;
        s1 += e * h.y;
        s2 += e * h.z;
        s3 += e * h.w;
        q += h * sq_norm(e);
        n += h;
      }
    }
    put(o, b, 0u, s0, q.x, n.x);
    if (K > 1u) { put(o, b, 1u, s1, q.y, n.y); }
    if (K > 2u) { put(o, b, 2u, s2, q.z, n.z); }
    if (K > 3u) { put(o, b, 3u, s3, q.w, n.w); }
    return;
  }
  // Larger K: one pass over the strip per class.
  for (var c = 0u; c < K; c++) {
    let m = mean_block(c, b);
    var s = mat4x4f();
    var q = 0.0;
    var n = 0.0;
    for (var p4 = first; p4 < end; p4 += 4u) {
      let z4 = labels4[p4 / 4u];
      for (var i = 0u; i < 4u; i++) {
        let h = select(0.0, 1.0, p4 + i < end && vcomp_u(z4, i) == c);
        let e = feature_block(min(p4 + i, last), b) - m;
        s += e * h;
        q += h * sq_norm(e);
        n += h;
      }
    }
    put(o, b, c, s, q, n);
  }
}
