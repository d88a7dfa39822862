// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
// SC'11), the one random generator of specmap. Counter-based: the output is a pure function of
// (key, counter), so GPU threads need no stored state. kernels/lib/rng.wgsl is the same
// generator in WGSL, bit for bit (test/random/ and test/parity/rng.parity.ts check it).
//
// specmap's convention: key = (seed, stream), counter = 4 words chosen by the caller (e.g.
// pixel, sweep, purpose, 0). Everything is u32; seed and stream must be integers in [0, 2^32).

import { InputError } from '../engine/errors.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * High 32 bits of the 64-bit product of two u32, exact: the operands are split into 16-bit
 * halves so every partial product fits in 32 bits (the same carries as rng.wgsl's mulhi).
 */
export function mulhi32(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const ll = aL * bL; // < 2^32
  const mid = aH * bL + (ll >>> 16); // < 2^32
  const mid2 = aL * bH + (mid & 0xffff); // < 2^32
  return (aH * bH + (mid >>> 16) + (mid2 >>> 16)) >>> 0;
}

/**
 * One Philox4x32-10 block: 4 u32 outputs for counter (c0..c3) under key (k0, k1).
 * Writes into `out` (allocated when omitted) and returns it.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      key0 = (key0 + W0) >>> 0;
      key1 = (key1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

const TWO_M24 = 1 / 16777216;
const TWO_M53 = 1 / 9007199254740992;

/** Uniform in [0, 1) from the top 24 bits of a u32: exact in float32, never 1 (max 1 - 2^-24). */
export function uniform24(x: number): number {
  return (x >>> 8) * TWO_M24;
}

/** Uniform in (0, 1] from 24 bits: safe under log() (Box–Muller). */
export function uniform24Open0(x: number): number {
  return ((x >>> 8) + 1) * TWO_M24;
}

/** Uniform in [0, 1) with 53 bits from two u32 (host-side algorithms that want full doubles). */
export function uniform53(a: number, b: number): number {
  return ((a >>> 5) * 67108864 + (b >>> 6)) * TWO_M53;
}

/** Standard normal pair from two u32 by Box–Muller (float64; rng.wgsl's f32 version is close, not bit-identical). */
export function boxMuller(a: number, b: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(uniform24Open0(a)));
  const t = 2 * Math.PI * uniform24(b);
  return [r * Math.cos(t), r * Math.sin(t)];
}

/** Throws a one-line InputError unless v is an integer in [0, 2^32) (seeds, streams). */
export function checkU32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new InputError(`${what} must be an integer in [0, 2^32), got ${v}`);
  return v;
}
