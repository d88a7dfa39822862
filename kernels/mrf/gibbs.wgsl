// #import lib/index
// #import lib/rng
// #import mrf/classes
// One colour of one checkerboard Gibbs sweep of the Potts-MRF (src/methods/mrf/cpu.ts sweeps()).
// Pixels of one colour have no neighbours of that colour, so they update independently:
//   p(z_p = k) ∝ exp((loglik[p, k] + beta · #{neighbours labelled k}) / T(s)),
// drawn by inversion with a uniform from Philox keyed (seed, stream) and counted by pixel and
// sweep (below): no RNG state is stored. The sweep index s travels on the GPU: colour 0 writes
// s + 1 to stepOut, which the next sweep reads as stepIn (two buffers, alternated by the host),
// so many sweeps go in one submit.
// The colour comes in the uniform (one pipeline for all colours: SwiftShader compiles slowly).
// Labels are read and written packed (kernels/mrf/packed.wgsl: 4 to a u32, by row and x parity):
// a thread's 4 pixels are one word, their neighbours 4 words (8 with 8 neighbours) instead of 16
// (32) per-pixel loads, and one store. SwiftShader runs every storage access per lane.
// Label counts (COUNTS sweeps): counts[p · 4·KV + k] counts draws of label k. For K > 4 each
// update adds 1 to it (a read-modify-write per pixel). For K <= 4 a thread adds its 4 pixels'
// draws to 16 8-bit counters in one vec4u, tally[word] (word = the packed word it updates,
// component m = its pixel m, byte k = label k): one load and one store per thread instead of 8
// accesses. counts_flush.wgsl adds the tally into counts and zeroes it; the host (gpu.ts) runs it
// before a counter could pass 255 (every 255 counted sweeps at most) and before counts are read.
// Defines: K, NX, NY, NEIGHBOURS (4 | 8), PERIODIC,
// PRODUCTS (K <= 4, sweeps at T = 1 with beta · NEIGHBOURS <= 64: weights lik · exp(beta)^n),
// COUNTS (the pipeline for sweeps s >= countFrom), MASKED (a pixel mask is in use: a pixel
// labelled K, left out by the mask, keeps K, is not counted, and is no neighbour to anyone, as a
// pixel past the row end; the thread then reads its own word too). Pipelines, not run-time
// tests: SwiftShader runs both sides of a branch it cannot prove uniform.
struct Sweep {
  beta: f32,
  decay: f32,
  tMin: f32,
  annealStart: u32,
  seed: u32,
  stream: u32,
  colour: u32,
  // exp(beta) (src/methods/mrf/backend.ts likeFactor), used by the PRODUCTS pipeline.
  e1: f32,
}

@group(0) @binding(0) var<uniform> sw: Sweep;
@group(0) @binding(1) var<storage, read> loglik: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> packed: array<u32>;
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;
@group(0) @binding(4) var<storage, read> stepIn: array<u32>;
@group(0) @binding(5) var<storage, read_write> stepOut: array<u32>;
// exp(loglik[p] - max_k loglik[p, k]) (loglik.wgsl), K <= 4.
@group(0) @binding(6) var<storage, read> lik: array<vec4f>;
// 8-bit label counters of a thread's 4 pixels (above), K <= 4; counts_flush.wgsl empties them.
@group(0) @binding(7) var<storage, read_write> tally: array<vec4u>;

// Random numbers: pixel (y, x) at sweep s takes word (x & 7) >> 1 of the Philox block with
// counter (y · GX + (x >> 3), s, x & 1, 0). The pixels of one colour in a row-aligned group of 8
// columns share one x parity, so each thread updates those 4 pixels from one block.
const GX = (NX + 7u) / 8u;
// Rows of whole 8-column groups: no pixel of a thread lies past the row end.
const FULL_ROWS = NX % 8u == 0u;

// Byte m of a word: the label of a thread's pixel m, or of that pixel's neighbour in a neighbour word.
fn byte(w: u32, m: u32) -> u32 {
  return (w >> (8u * m)) & 0xffu;
}

// Packed word (r, q, g) (packed.wgsl), wrapped on a periodic lattice, all-K (no class) off a free edge.
fn word_at(r: i32, q: u32, g: i32) -> u32 {
  if (PERIODIC) {
    let wr = select(select(r, r - i32(NY), r >= i32(NY)), r + i32(NY), r < 0);
    let wg = select(select(g, g - i32(GX), g >= i32(GX)), g + i32(GX), g < 0);
    return packed[(u32(wr) * 2u + q) * GX + u32(wg)];
  }
  let inside = r >= 0 && r < i32(NY) && g >= 0 && g < i32(GX);
  let cr = u32(clamp(r, 0, i32(NY) - 1));
  let cg = u32(clamp(g, 0, i32(GX) - 1));
  return select(K * 0x01010101u, packed[(cr * 2u + q) * GX + cg], inside);
}

// Byte of the last pixel of parity 1 in its word (a periodic lattice has even NX).
const LAST1 = ((NX - 2u) >> 1u) & 3u;

// The left (x - 1) and right (x + 1) neighbours of the 4 pixels x = 8g + q + 2m in row r, as
// words with pixel m's neighbour in byte m. They have the other parity: for q = 0 the left one of
// pixel m is byte m - 1 of word g (byte 3 of word g - 1 for m = 0) and the right one byte m; for
// q = 1 the left one is byte m and the right one byte m + 1 (byte 0 of word g + 1 for m = 3).
fn side_words(r: i32, q: u32, g: u32) -> vec2u {
  let w = word_at(r, 1u - q, i32(g));
  var e = word_at(r, 1u - q, i32(g) + select(1, -1, q == 0u));
  var right = (w >> 8u) | (e << 24u);
  if (PERIODIC) {
    // Wrapping to the far end of the row: pixel 0 takes the last parity-1 pixel (byte LAST1 of
    // word GX - 1) as its left neighbour, the last pixel (parity 1, byte LAST1) byte 0 of word 0
    // as its right one. With NX % 8 = 0, LAST1 = 3 and neither changes anything.
    e = select(e, e << (8u * (3u - LAST1)), g == 0u && q == 0u);
    right = select(right, (right & ~(0xffu << (8u * LAST1))) | ((e & 0xffu) << (8u * LAST1)), g == GX - 1u && q == 1u);
  }
  let left = (w << 8u) | (e >> 24u);
  return select(vec2u(w, right), vec2u(left, w), q == 0u);
}

// The new label of pixel p = (y, x) from the labels of its neighbours (K: none), in lattice.ts
// offsets() order for 8 neighbours; K, uncounted, when `absent` (p is masked: its label is K).
// Counted here for K > 4 only (update_slot tallies K <= 4).
fn update(p: u32, absent: bool, invT: f32, word: u32, l0: u32, l1: u32, l2: u32, l3: u32, l4: u32, l5: u32, l6: u32, l7: u32) -> u32 {
  var z: u32;
  let u0 = rng_uniform24(word);
  if (K <= 4u) {
    // All classes at once; cumulative weights w0, w0+w1, ... and the draw by counting how many
    // cumulative sums the uniform passes (the first class whose sum exceeds u, as cpu.ts).
    var w: vec4f;
    if (PRODUCTS) {
      // T = 1: lik[p, k] · e1^n_k, a factor e1 per like neighbour (no exp; the same weights).
      let e1 = vec4f(sw.e1);
      let one = vec4f(1.0);
      w = lik[p] * select(one, e1, CLASS4 == vec4u(l0)) * select(one, e1, CLASS4 == vec4u(l1)) * select(one, e1, CLASS4 == vec4u(l2)) * select(one, e1, CLASS4 == vec4u(l3));
      if (NEIGHBOURS == 8u) {
        w *= select(one, e1, CLASS4 == vec4u(l4)) * select(one, e1, CLASS4 == vec4u(l5)) * select(one, e1, CLASS4 == vec4u(l6)) * select(one, e1, CLASS4 == vec4u(l7));
      }
    } else {
      var like = vec4f(CLASS4 == vec4u(l0)) + vec4f(CLASS4 == vec4u(l1)) + vec4f(CLASS4 == vec4u(l2)) + vec4f(CLASS4 == vec4u(l3));
      if (NEIGHBOURS == 8u) {
        like += vec4f(CLASS4 == vec4u(l4)) + vec4f(CLASS4 == vec4u(l5)) + vec4f(CLASS4 == vec4u(l6)) + vec4f(CLASS4 == vec4u(l7));
      }
      let e = (loglik[p] + sw.beta * like) * invT;
      w = exp(e - vec4f(max(max(e.x, e.y), max(e.z, e.w))));
    }
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
  if (MASKED && absent) {
    return K;
  }
  if (COUNTS && K > 4u) {
    counts[p * 4u * KV + z] += 1u;
  }
  return z;
}

// (loglik[p, c] + beta · #{neighbours labelled c}) / T.
fn energy(p: u32, c: u32, l0: u32, l1: u32, l2: u32, l3: u32, l4: u32, l5: u32, l6: u32, l7: u32, invT: f32) -> f32 {
  let n = u32(l0 == c) + u32(l1 == c) + u32(l2 == c) + u32(l3 == c) + u32(l4 == c) + u32(l5 == c) + u32(l6 == c) + u32(l7 == c);
  return (vcomp(loglik[p * KV + (c >> 2u)], c & 3u) + sw.beta * f32(n)) * invT;
}

// SWEEP_GROUPS workgroups (a define) stride over the colour's THREADS thread slots, each slot one
// row and 8-column group. SwiftShader pays per workgroup: on a software adapter the host runs 8
// (1.4-1.5x the sweep rate of one workgroup per 64 slots at 512x512); on a GPU one per 64 slots.
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let first = linear_workgroup(wid, nwg) * WG + lid;
  let s = stepIn[0];
  let colour = sw.colour;
  if (first == 0u && colour == 0u) {
    stepOut[0] = s + 1u;
  }
  for (var t = first; t < THREADS; t += SWEEP_GROUPS * WG) {
    update_slot(t, s, colour);
  }
}

// The 4 pixels of colour `colour` in thread slot t (one row, one 8-column group) in sweep s.
fn update_slot(t: u32, s: u32, colour: u32) {
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
  if (!PRODUCTS && s >= sw.annealStart) {
    invT = 1.0 / max(sw.tMin, exp(-sw.decay * f32(s - sw.annealStart + 1u)));
  }
  let rnd = philox4x32(vec4u(y * GX + g, s, xpar, 0u), vec2u(sw.seed, sw.stream));
  let x0 = 8u * g + xpar;
  let r = i32(y);
  // Same parity in the rows above and below; the other parity left and right (and diagonally).
  let up = word_at(r - 1, xpar, i32(g));
  let down = word_at(r + 1, xpar, i32(g));
  let mid = side_words(r, xpar, g);
  var above = vec2u(K * 0x01010101u);
  var below = above;
  if (NEIGHBOURS == 8u) {
    above = side_words(r - 1, xpar, g);
    below = side_words(r + 1, xpar, g);
  }
  let base = y * NX + x0;
  // The thread's own word: which of its pixels are masked (label K), with a pixel mask only.
  var own = 0u;
  if (MASKED) {
    own = packed[(y * 2u + xpar) * GX + g];
  }
  // Written out: a loop indexing rnd[i] costs 1.6x the sweep time on SwiftShader. Pixels past
  // the row end keep label K (packed.wgsl).
  var out = K * 0x01010101u;
  if (FULL_ROWS || x0 < NX) {
    out = (out & ~(0xffu << 0u)) | (update(base, byte(own, 0u) == K, invT, rnd.x, byte(mid.y, 0u), byte(down, 0u), byte(mid.x, 0u), byte(up, 0u), byte(below.y, 0u), byte(below.x, 0u), byte(above.x, 0u), byte(above.y, 0u)) << 0u);
  }
  if (FULL_ROWS || x0 + 2u < NX) {
    out = (out & ~(0xffu << 8u)) | (update(base + 2u, byte(own, 1u) == K, invT, rnd.y, byte(mid.y, 1u), byte(down, 1u), byte(mid.x, 1u), byte(up, 1u), byte(below.y, 1u), byte(below.x, 1u), byte(above.x, 1u), byte(above.y, 1u)) << 8u);
  }
  if (FULL_ROWS || x0 + 4u < NX) {
    out = (out & ~(0xffu << 16u)) | (update(base + 4u, byte(own, 2u) == K, invT, rnd.z, byte(mid.y, 2u), byte(down, 2u), byte(mid.x, 2u), byte(up, 2u), byte(below.y, 2u), byte(below.x, 2u), byte(above.x, 2u), byte(above.y, 2u)) << 16u);
  }
  if (FULL_ROWS || x0 + 6u < NX) {
    out = (out & ~(0xffu << 24u)) | (update(base + 6u, byte(own, 3u) == K, invT, rnd.w, byte(mid.y, 3u), byte(down, 3u), byte(mid.x, 3u), byte(up, 3u), byte(below.y, 3u), byte(below.x, 3u), byte(above.x, 3u), byte(above.y, 3u)) << 24u);
  }
  let word = (y * 2u + xpar) * GX + g;
  packed[word] = out;
  if (COUNTS && K <= 4u) {
    // Byte m of `out` is pixel m's draw, K for a masked pixel or one past the row end: uncounted.
    let z = (vec4u(out) >> vec4u(0u, 8u, 16u, 24u)) & vec4u(0xffu);
    tally[word] += select(vec4u(0u), vec4u(1u) << (8u * z), z < vec4u(K));
  }
}
