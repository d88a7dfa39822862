// Class sums of the current labels around centres c_k, per strip of STRIP pixels (with
// summary.wgsl, src/methods/mrf/cpu.ts stats()). Thread (strip, channel quad j) sums over its
// strip's pixels p, per class k of the pixel's label: e = y_p[4j..4j+3] - c_k[4j..4j+3] and e².
// partial[((strip · DV + j) · K + k) · 2 + {0: sum, 1: sq}] (vec4 over the 4 channels); the host
// adds the strips in float64 and the squares over channels. Neighbouring threads share a strip,
// hence the pixel and its label. data and centres: 4 channels to a vec4, zero-padded.
// A pixel labelled K (left out by a pixel mask) matches no class and adds nothing.
// Defines: K, DV, NPIX, STRIP, NSTRIPS.
@group(0) @binding(0) var<storage, read> data: array<vec4f>;
@group(0) @binding(1) var<storage, read> centres: array<vec4f>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * 64u + lid;
  let strip = t / DV;
  let j = t % DV;
  if (strip >= NSTRIPS) {
    return;
  }
  let first = strip * STRIP;
  let end = min(NPIX, first + STRIP);
  let o = t * K * 2u;
  let zero = vec4f(0.0);
  if (K <= 4u) {
    // All classes in one pass, in named accumulators (no private arrays: classes.wgsl).
    var s0 = zero;
    var s1 = zero;
    var s2 = zero;
    var s3 = zero;
    var q0 = zero;
    var q1 = zero;
    var q2 = zero;
    var q3 = zero;
    // The thread's quad of the K centres, loaded once (not per pixel).
    let m0 = centres[j];
    let m1 = centres[min(1u, K - 1u) * DV + j];
    let m2 = centres[min(2u, K - 1u) * DV + j];
    let m3 = centres[min(3u, K - 1u) * DV + j];
    for (var p = first; p < end; p++) {
      let z = labels[p];
      let e = data[p * DV + j] - select(select(select(m0, m1, z == 1u), m2, z == 2u), m3, z == 3u);
      let e2 = e * e;
      s0 += select(zero, e, z == 0u);
      q0 += select(zero, e2, z == 0u);
      s1 += select(zero, e, z == 1u);
      q1 += select(zero, e2, z == 1u);
      s2 += select(zero, e, z == 2u);
      q2 += select(zero, e2, z == 2u);
      s3 += select(zero, e, z == 3u);
      q3 += select(zero, e2, z == 3u);
    }
    partial[o] = s0;
    partial[o + 1u] = q0;
    if (K > 1u) { partial[o + 2u] = s1; partial[o + 3u] = q1; }
    if (K > 2u) { partial[o + 4u] = s2; partial[o + 5u] = q2; }
    if (K > 3u) { partial[o + 6u] = s3; partial[o + 7u] = q3; }
    return;
  }
  // Larger K: one pass over the strip per class.
  for (var c = 0u; c < K; c++) {
    var s = zero;
    var q = zero;
    for (var p = first; p < end; p++) {
      let z = labels[p];
      let e = data[p * DV + j] - centres[c * DV + j];
      s += select(zero, e, z == c);
      q += select(zero, e * e, z == c);
    }
    partial[o + 2u * c] = s;
    partial[o + 2u * c + 1u] = q;
  }
}
