// One colour of one checkerboard Gibbs sweep of the Potts-MRF (src/methods/mrf/cpu.ts sweeps()).
// Pixels of one colour have no neighbours of that colour, so they update independently:
//   p(z_p = k) ∝ exp((loglik[p, k] + beta · #{neighbours labelled k}) / T(s)),
// drawn by inversion with a uniform from Philox keyed (seed, stream) and counted by pixel and
// sweep (below): no RNG state is stored. The sweep index s travels on the GPU: colour 0 writes
// s + 1 to stepOut, which the next sweep reads as stepIn (two buffers, alternated by the host),
// so many sweeps go in one submit.
// Defines: K, NX, NY, NEIGHBOURS (4 | 8), PERIODIC, COLOUR.
struct Sweep {
  beta: f32,
  decay: f32,
  tMin: f32,
  annealStart: u32,
  countFrom: u32,
  seed: u32,
  stream: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> sw: Sweep;
@group(0) @binding(1) var<storage, read> loglik: array<f32>;
@group(0) @binding(2) var<storage, read_write> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;
@group(0) @binding(4) var<storage, read> stepIn: array<u32>;
@group(0) @binding(5) var<storage, read_write> stepOut: array<u32>;

// Random numbers: pixel (y, x) at sweep s takes word (x & 7) >> 1 of the Philox block with
// counter (y · GX + (x >> 3), s, x & 1, 0). The pixels of one colour in a row-aligned group of 8
// columns share one x parity, so each thread updates those 4 pixels from one block.
const GX = (NX + 7u) / 8u;

fn update(p: u32, y: u32, x: u32, s: u32, invT: f32, word: u32) {
  // Neighbour labels, K where the lattice ends (free edges): clamped indices keep every load in
  // range, so there is no branch; written out, since loops over neighbours cost more on SwiftShader.
  let xm = select(x - 1u, NX - 1u, x == 0u);
  let xp = select(x + 1u, 0u, x == NX - 1u);
  let ym = select(y - 1u, NY - 1u, y == 0u);
  let yp = select(y + 1u, 0u, y == NY - 1u);
  let okL = PERIODIC || x > 0u;
  let okR = PERIODIC || x < NX - 1u;
  let okU = PERIODIC || y > 0u;
  let okD = PERIODIC || y < NY - 1u;
  let l0 = select(K, labels[y * NX + xp], okR);
  let l1 = select(K, labels[yp * NX + x], okD);
  let l2 = select(K, labels[y * NX + xm], okL);
  let l3 = select(K, labels[ym * NX + x], okU);
  var l4 = K;
  var l5 = K;
  var l6 = K;
  var l7 = K;
  if (NEIGHBOURS == 8u) {
    l4 = select(K, labels[yp * NX + xp], okD && okR);
    l5 = select(K, labels[yp * NX + xm], okD && okL);
    l6 = select(K, labels[ym * NX + xm], okU && okL);
    l7 = select(K, labels[ym * NX + xp], okU && okR);
  }
  var like: array<f32, K>;
  for (var c = 0u; c < K; c++) {
    like[c] = f32(u32(l0 == c) + u32(l1 == c) + u32(l2 == c) + u32(l3 == c) + u32(l4 == c) + u32(l5 == c) + u32(l6 == c) + u32(l7 == c));
  }
  var w: array<f32, K>;
  var m = -3.4e38;
  for (var c = 0u; c < K; c++) {
    w[c] = (loglik[p * K + c] + sw.beta * like[c]) * invT;
    m = max(m, w[c]);
  }
  var total = 0.0;
  for (var c = 0u; c < K; c++) {
    w[c] = exp(w[c] - m);
    total += w[c];
  }
  let u = rng_uniform24(word) * total;
  var z = K - 1u;
  var acc = 0.0;
  for (var c = 0u; c < K; c++) {
    acc += w[c];
    if (u < acc) {
      z = c;
      break;
    }
  }
  labels[p] = z;
  if (s >= sw.countFrom) {
    counts[p * K + z] += 1u;
  }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = linear_workgroup(wid, nwg) * 64u + lid;
  let s = stepIn[0];
  if (t == 0u && COLOUR == 0u) {
    stepOut[0] = s + 1u;
  }
  let g = t % GX;
  var y: u32;
  var xpar: u32;
  if (NEIGHBOURS == 4u) {
    y = t / GX;
    xpar = (y + COLOUR) & 1u;
  } else {
    y = 2u * (t / GX) + (COLOUR >> 1u);
    xpar = COLOUR & 1u;
  }
  if (y >= NY) {
    return;
  }
  var invT = 1.0;
  if (s >= sw.annealStart) {
    invT = 1.0 / max(sw.tMin, exp(-sw.decay * f32(s - sw.annealStart + 1u)));
  }
  let r = philox4x32(vec4u(y * GX + g, s, xpar, 0u), vec2u(sw.seed, sw.stream));
  for (var i = 0u; i < 4u; i++) {
    let x = 8u * g + xpar + 2u * i;
    if (x < NX) {
      update(y * NX + x, y, x, s, invT, r[i]);
    }
  }
}
