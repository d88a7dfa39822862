// #import lib/index
// #import mrf/classes
// #import mrf/lattice
// Per strip of STRIP pixels: Σ loglik[p, z_p] and the like-labelled forward edges (right and
// down; with 8 neighbours also down-right and down-left), as cpu.ts stats(); the class counts
// and sums come from stats.wgsl. out[strip] = (loglik sum, like edges, 0, 0). A pixel labelled
// K (left out by a pixel mask) adds to neither sum (its neighbours see it as K, no class).
// Defines: K, NX, NY, NPIX, NEIGHBOURS, PERIODIC, STRIP, NSTRIPS.
@group(0) @binding(0) var<storage, read> loglik: array<vec4f>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let strip = linear_workgroup(wid, nwg) * WG + lid;
  if (strip >= NSTRIPS) {
    return;
  }
  let end = min(NPIX, (strip + 1u) * STRIP);
  var ll = 0.0;
  var like = 0u;
  for (var p = strip * STRIP; p < end; p++) {
    let z = labels[p];
    let y = p / NX;
    let x = p % NX;
    let present = z < K;
    ll += select(0.0, vcomp(loglik[p * KV + min(z >> 2u, KV - 1u)], z & 3u), present);
    var edges = u32(nb_label(y, x, 0, 1) == z) + u32(nb_label(y, x, 1, 0) == z);
    edges += u32(nb_diagonal(y, x, 1, 1) == z) + u32(nb_diagonal(y, x, 1, -1) == z);
    like += select(0u, edges, present);
  }
  out[strip] = vec4f(ll, f32(like), 0.0, 0.0);
}
