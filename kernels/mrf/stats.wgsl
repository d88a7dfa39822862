// Class statistics of the current labels, per strip of STRIP pixels (src/methods/mrf/cpu.ts
// stats()). Thread (strip, slot) sums over its strip's pixels, per class k of the pixel's label:
//   slot j < D: e = y_pj - centres[k, j] into sum[k] and e^2 into sq[k] (the host adds sq over j);
//   slot D: 1 (count);  slot D+1: loglik[p, z_p];  slot D+2: like-labelled forward edges
//   (the last two summed over all pixels, into class 0).
// partial[((strip · NSLOT + slot) · 2 + {0: sum, 1: sq}) · K + k]; the host adds strips in float64.
// Neighbouring threads share a strip, hence a pixel: its label load and branch are uniform,
// and the channel loads are contiguous.
// Defines: K, D, NX, NY, NPIX, NEIGHBOURS, PERIODIC, STRIP, NSTRIPS.
@group(0) @binding(0) var<storage, read> data: array<f32>;
@group(0) @binding(1) var<storage, read> centres: array<f32>;
@group(0) @binding(2) var<storage, read> loglik: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;

const NSLOT = D + 3u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * 64u + lid;
  let strip = t / NSLOT;
  let slot = t % NSLOT;
  if (strip >= NSTRIPS) {
    return;
  }
  var sum: array<f32, K>;
  var sq: array<f32, K>;
  for (var c = 0u; c < K; c++) {
    sum[c] = 0.0;
    sq[c] = 0.0;
  }
  let end = min(NPIX, (strip + 1u) * STRIP);
  for (var p = strip * STRIP; p < end; p++) {
    let z = labels[p];
    var v = 0.0;
    if (slot < D) {
      v = data[p * D + slot] - centres[z * D + slot];
    } else if (slot == D) {
      v = 1.0;
    } else if (slot == D + 1u) {
      v = loglik[p * K + z];
    } else {
      let y = i32(p / NX);
      let x = i32(p % NX);
      for (var j = 0u; j < NEIGHBOURS / 2u; j++) {
        let o = nb_offset(j);
        let q = neighbour(y, x, o.x, o.y);
        if (q >= 0 && labels[u32(q)] == z) {
          v += 1.0;
        }
      }
    }
    // Constant indices only: SwiftShader turns a per-lane index into a private array into slow
    // scattered memory access.
    let zz = select(z, 0u, slot > D);
    for (var c = 0u; c < K; c++) {
      let hit = zz == c;
      sum[c] += select(0.0, v, hit);
      sq[c] += select(0.0, v * v, hit);
    }
  }
  let o = (strip * NSLOT + slot) * 2u * K;
  for (var c = 0u; c < K; c++) {
    partial[o + c] = sum[c];
    partial[o + K + c] = sq[c];
  }
}
