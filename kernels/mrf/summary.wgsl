// Per strip of STRIP pixels: pixels per class, Σ loglik[p, z_p] and the like-labelled forward
// edges (right and down; with 8 neighbours also down-right and down-left), as cpu.ts stats().
// out[strip · (KV + 1) + cv]: counts of classes 4·cv .. 4·cv+3; out[strip · (KV + 1) + KV] =
// (loglik sum, like edges, 0, 0). A pixel labelled K (left out by a pixel mask) adds to no
// loglik or edge sum (its neighbours see it as K, no class); it is counted in the padding class
// K of the counts when K % 4 != 0, which the host never reads.
// Defines: K, NX, NY, NPIX, NEIGHBOURS, PERIODIC, STRIP, NSTRIPS.
@group(0) @binding(0) var<storage, read> loglik: array<vec4f>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let strip = linear_workgroup(wid, nwg) * 64u + lid;
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
  for (var cv = 0u; cv < KV; cv++) {
    var n = vec4f(0.0);
    for (var p = strip * STRIP; p < end; p++) {
      n += vec4f(CLASS4 + vec4u(4u * cv) == vec4u(labels[p]));
    }
    out[strip * (KV + 1u) + cv] = n;
  }
  out[strip * (KV + 1u) + KV] = vec4f(ll, f32(like), 0.0, 0.0);
}
