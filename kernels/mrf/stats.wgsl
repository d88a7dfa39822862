// Class sums of the current labels around centres c_k, per strip of STRIP pixels (with
// summary.wgsl, src/methods/mrf/cpu.ts stats()). Thread (strip, channel j) sums over its strip's
// pixels p, into the class z_p of each: e = y_pj - c_{z_p, j} and e^2 (the host adds e^2 over j).
// partial[(strip · D + j) · 2·KV + 2·(k >> 2) + {0: sum, 1: sq}] component k & 3; the host adds
// the strips in float64. Neighbouring threads share a strip, hence the pixel and its label.
// Defines: K, D, NPIX, STRIP, NSTRIPS.
@group(0) @binding(0) var<storage, read> data: array<f32>;
@group(0) @binding(1) var<storage, read> centres: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * 64u + lid;
  let strip = t / D;
  let j = t % D;
  if (strip >= NSTRIPS) {
    return;
  }
  let end = min(NPIX, (strip + 1u) * STRIP);
  // Classes 4·cv .. 4·cv+3 per pass (K <= 4: one pass); no private arrays (classes.wgsl).
  for (var cv = 0u; cv < KV; cv++) {
    var sum = vec4f(0.0);
    var sq = vec4f(0.0);
    for (var p = strip * STRIP; p < end; p++) {
      let z = labels[p];
      let e = data[p * D + j] - centres[z * D + j];
      let hit = CLASS4 + vec4u(4u * cv) == vec4u(z);
      sum += select(vec4f(0.0), vec4f(e), hit);
      sq += select(vec4f(0.0), vec4f(e * e), hit);
    }
    let o = t * 2u * KV + 2u * cv;
    partial[o] = sum;
    partial[o + 1u] = sq;
  }
}
