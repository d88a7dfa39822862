// #import lib/index
// #import mrf/words
// Adds the 8-bit label counters that gibbs.wgsl's COUNTS sweeps keep for K <= 4 into the u32
// label counts and zeroes them. tally[w] belongs to packed word w = (y · 2 + q) · GX + g
// (packed.wgsl): component m counts pixel x = 8g + q + 2m of row y, its byte k the draws of
// label k. With K <= 4 a pixel's counts are one vec4u, counts[p] (counts[p · 4 + k] as u32).
// Pixels past the row end have no counts (their counters stay 0); masked pixels' counters are 0.
// Defines: NX, NY.

@group(0) @binding(0) var<storage, read_write> tally: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> counts: array<vec4u>;

// One thread per packed word.
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * WG + lid;
  if (t >= PACKED_WORDS) {
    return;
  }
  let o = word_origin(t);
  let y = o.x;
  let x0 = o.y;
  let c = tally[t];
  let bytes = vec4u(0u, 8u, 16u, 24u);
  for (var m = 0u; m < 4u; m++) {
    let x = x0 + 2u * m;
    if (x < NX) {
      counts[y * NX + x] += (vec4u(c[m]) >> bytes) & vec4u(0xffu);
    }
  }
  tally[t] = vec4u(0u);
}
