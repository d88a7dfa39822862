// #import lib/index
// #import mrf/words
// The Gibbs sweep's label layout (gibbs.wgsl): labels packed 4 to a u32 (one byte each, K <= 32),
// split by row and x parity: word (y, q, g) = packed[(y · 2 + q) · GX + g] holds the labels of
// pixels x = 8g + q + 2m, m = 0..3, in byte m (byte K for x >= NX). One checkerboard colour
// writes only words of its own parity (4 neighbours: q = (y + colour) & 1; 8: (y & 1, q) is the
// colour) and reads only words of other colours, so a thread's 4 pixels are one word and their
// neighbours 4 (or 8) words. `pack` fills it from labels[p] before a block of sweeps, `unpack`
// writes labels[p] back after it. Defines: K, NX, NY.

@group(0) @binding(0) var<storage, read_write> labels: array<u32>;
@group(0) @binding(1) var<storage, read_write> packed: array<u32>;

// One thread per packed word.
@compute @workgroup_size(WG)
fn pack(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * WG + lid;
  if (t >= PACKED_WORDS) {
    return;
  }
  let o = word_origin(t);
  let y = o.x;
  let x0 = o.y;
  var w = 0u;
  for (var m = 0u; m < 4u; m++) {
    let x = x0 + 2u * m;
    w |= select(K, labels[y * NX + min(x, NX - 1u)], x < NX) << (8u * m);
  }
  packed[t] = w;
}

// One thread per pixel.
@compute @workgroup_size(WG)
fn unpack(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let p = linear_workgroup(wid, nwg) * WG + lid;
  if (p >= NY * NX) {
    return;
  }
  let y = p / NX;
  let x = p - y * NX;
  labels[p] = extractBits(packed[(y * 2u + (x & 1u)) * GX + (x >> 3u)], 8u * ((x >> 1u) & 3u), 8u);
}
