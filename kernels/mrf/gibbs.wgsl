// One colour of one checkerboard Gibbs sweep of the Potts-MRF (src/methods/mrf/cpu.ts sweeps()).
// Pixels of one colour have no neighbours of that colour, so they update independently:
//   p(z_p = k) ∝ exp((loglik[p, k] + beta · #{neighbours labelled k}) / T(s)),
// drawn by inversion with a uniform from Philox keyed (seed, stream) and counted by pixel and
// sweep (below): no RNG state is stored. The sweep index s travels on the GPU: colour 0 writes
// s + 1 to stepOut, which the next sweep reads as stepIn (two buffers, alternated by the host),
// so many sweeps go in one submit.
// The colour comes in the uniform (one pipeline for all colours: SwiftShader compiles slowly).
// counts[p · 4·KV + k] counts draws of label k. Defines: K, NX, NY, NEIGHBOURS (4 | 8), PERIODIC.
struct Sweep {
  beta: f32,
  decay: f32,
  tMin: f32,
  annealStart: u32,
  countFrom: u32,
  seed: u32,
  stream: u32,
  colour: u32,
}

@group(0) @binding(0) var<uniform> sw: Sweep;
@group(0) @binding(1) var<storage, read> loglik: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;
@group(0) @binding(4) var<storage, read> stepIn: array<u32>;
@group(0) @binding(5) var<storage, read_write> stepOut: array<u32>;

// Random numbers: pixel (y, x) at sweep s takes word (x & 7) >> 1 of the Philox block with
// counter (y · GX + (x >> 3), s, x & 1, 0). The pixels of one colour in a row-aligned group of 8
// columns share one x parity, so each thread updates those 4 pixels from one block.
const GX = (NX + 7u) / 8u;

fn update(p: u32, y: u32, x: u32, s: u32, invT: f32, word: u32) {
  // Neighbour labels, K where the lattice ends (free edges); in lattice.ts offsets() order.
  let l0 = nb_label(y, x, 0, 1);
  let l1 = nb_label(y, x, 1, 0);
  let l2 = nb_label(y, x, 0, -1);
  let l3 = nb_label(y, x, -1, 0);
  let l4 = nb_diagonal(y, x, 1, 1);
  let l5 = nb_diagonal(y, x, 1, -1);
  let l6 = nb_diagonal(y, x, -1, -1);
  let l7 = nb_diagonal(y, x, -1, 1);
  var z: u32;
  let u0 = rng_uniform24(word);
  if (K <= 4u) {
    // All classes at once; cumulative weights w0, w0+w1, ... and the draw by counting how many
    // cumulative sums the uniform passes (the first class whose sum exceeds u, as cpu.ts).
    var like = vec4f(CLASS4 == vec4u(l0)) + vec4f(CLASS4 == vec4u(l1)) + vec4f(CLASS4 == vec4u(l2)) + vec4f(CLASS4 == vec4u(l3));
    if (NEIGHBOURS == 8u) {
      like += vec4f(CLASS4 == vec4u(l4)) + vec4f(CLASS4 == vec4u(l5)) + vec4f(CLASS4 == vec4u(l6)) + vec4f(CLASS4 == vec4u(l7));
    }
    let e = (loglik[p] + sw.beta * like) * invT;
    let w = exp(e - vec4f(max(max(e.x, e.y), max(e.z, e.w))));
    let c1 = w.x;
    let c2 = c1 + w.y;
    let c3 = c2 + w.z;
    let u = u0 * (c3 + w.w);
    z = u32(c1 <= u);
    if (K > 2u) { z += u32(c2 <= u); }
    if (K > 3u) { z += u32(c3 <= u); }
  } else {
    // Class by class, re-reading the table (no private arrays): max, total, then the draw.
    var m = -3.4e38;
    for (var c = 0u; c < K; c++) {
      m = max(m, energy(p, c, l0, l1, l2, l3, l4, l5, l6, l7, invT));
    }
    var total = 0.0;
    for (var c = 0u; c < K; c++) {
      total += exp(energy(p, c, l0, l1, l2, l3, l4, l5, l6, l7, invT) - m);
    }
    let u = u0 * total;
    z = K - 1u;
    var acc = 0.0;
    for (var c = 0u; c < K - 1u; c++) {
      acc += exp(energy(p, c, l0, l1, l2, l3, l4, l5, l6, l7, invT) - m);
      if (u < acc) {
        z = c;
        break;
      }
    }
  }
  labels[p] = z;
  if (s >= sw.countFrom) {
    counts[p * 4u * KV + z] += 1u;
  }
}

// (loglik[p, c] + beta · #{neighbours labelled c}) / T.
fn energy(p: u32, c: u32, l0: u32, l1: u32, l2: u32, l3: u32, l4: u32, l5: u32, l6: u32, l7: u32, invT: f32) -> f32 {
  let n = u32(l0 == c) + u32(l1 == c) + u32(l2 == c) + u32(l3 == c) + u32(l4 == c) + u32(l5 == c) + u32(l6 == c) + u32(l7 == c);
  return (vcomp(loglik[p * KV + (c >> 2u)], c & 3u) + sw.beta * f32(n)) * invT;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * 64u + lid;
  let s = stepIn[0];
  let colour = sw.colour;
  if (t == 0u && colour == 0u) {
    stepOut[0] = s + 1u;
  }
  let g = t % GX;
  var y: u32;
  var xpar: u32;
  if (NEIGHBOURS == 4u) {
    y = t / GX;
    xpar = (y + colour) & 1u;
  } else {
    y = 2u * (t / GX) + (colour >> 1u);
    xpar = colour & 1u;
  }
  if (y >= NY) {
    return;
  }
  var invT = 1.0;
  if (s >= sw.annealStart) {
    invT = 1.0 / max(sw.tMin, exp(-sw.decay * f32(s - sw.annealStart + 1u)));
  }
  let r = philox4x32(vec4u(y * GX + g, s, xpar, 0u), vec2u(sw.seed, sw.stream));
  // Written out: a loop indexing r[i] costs 1.6x the sweep time on SwiftShader.
  let x0 = 8u * g + xpar;
  if (x0 < NX) { update(y * NX + x0, y, x0, s, invT, r.x); }
  if (x0 + 2u < NX) { update(y * NX + x0 + 2u, y, x0 + 2u, s, invT, r.y); }
  if (x0 + 4u < NX) { update(y * NX + x0 + 4u, y, x0 + 4u, s, invT, r.z); }
  if (x0 + 6u < NX) { update(y * NX + x0 + 6u, y, x0 + 6u, s, invT, r.w); }
}
