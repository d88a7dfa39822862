// Philox4x32-10 (Salmon et al., SC'11): specmap's one random generator, bit-identical to
// src/random/philox.ts. Counter-based: philox4x32(counter, key) is a pure function, so threads
// keep no RNG state. Convention: key = (seed, stream); counter = 4 words chosen by the caller.
// WGSL has no 64-bit integers: mulhi is built from 16-bit halves (every partial product fits u32).

fn philox_mulhi(a: u32, b: u32) -> u32 {
  let aL = a & 0xffffu;
  let aH = a >> 16u;
  let bL = b & 0xffffu;
  let bH = b >> 16u;
  let ll = aL * bL;
  let mid = aH * bL + (ll >> 16u);
  let mid2 = aL * bH + (mid & 0xffffu);
  return aH * bH + (mid >> 16u) + (mid2 >> 16u);
}

fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var x = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    if (round > 0u) {
      k = k + vec2u(0x9e3779b9u, 0xbb67ae85u);
    }
    let hi0 = philox_mulhi(0xd2511f53u, x.x);
    let lo0 = 0xd2511f53u * x.x;
    let hi1 = philox_mulhi(0xcd9e8d57u, x.z);
    let lo1 = 0xcd9e8d57u * x.z;
    x = vec4u(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
  }
  return x;
}

// Uniform in [0, 1) from the top 24 bits: exact in f32, never 1 (TS uniform24).
fn rng_uniform24(x: u32) -> f32 {
  return f32(x >> 8u) * 5.9604644775390625e-8;
}

// Uniform in (0, 1] from 24 bits: safe under log (TS uniform24Open0).
fn rng_uniform24_open0(x: u32) -> f32 {
  return f32((x >> 8u) + 1u) * 5.9604644775390625e-8;
}

// Two standard normals by Box–Muller (f32: close to TS boxMuller, not bit-identical). The angle
// is taken in [-pi, pi), where WGSL bounds sin/cos error (2^-11 absolute), and the signs restored.
fn rng_normal2(a: u32, b: u32) -> vec2f {
  let r = sqrt(-2.0 * log(rng_uniform24_open0(a)));
  let t = 6.283185307179586 * rng_uniform24(b) - 3.141592653589793;
  return vec2f(-r * cos(t), -r * sin(t));
}
