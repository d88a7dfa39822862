// A seeded sequential stream over Philox4x32-10 for host code (synthetic data, k-means++
// seeding, shuffles). Block n of stream (seed, stream) is philox4x32(n mod 2^32, n / 2^32, 0, 0;
// seed, stream), its 4 words used in order; so a GPU kernel can reproduce any draw from its index.
import { boxMuller, checkU32, philox4x32, uniform24, uniform53 } from './philox.js';
import { poisson } from './poisson.js';

export class PhiloxStream {
  readonly seed: number;
  readonly stream: number;
  private block = 0;
  private readonly buf = new Uint32Array(4);
  private pos = 4;
  private spareNormal: number | null = null;

  constructor(seed: number, stream = 0) {
    this.seed = checkU32(seed, 'seed');
    this.stream = checkU32(stream, 'stream');
  }

  /** Index of the next word (4 per block): where this stream stands. */
  get position(): number {
    return this.block * 4 - (4 - this.pos);
  }

  /** Next raw u32. */
  u32(): number {
    if (this.pos === 4) {
      philox4x32(this.block % 4294967296, Math.floor(this.block / 4294967296), 0, 0, this.seed, this.stream, this.buf);
      this.block++;
      this.pos = 0;
    }
    return this.buf[this.pos++]!;
  }

  /** Uniform in [0, 1) from 24 bits (the GPU's resolution; never 1). */
  uniform(): number {
    return uniform24(this.u32());
  }

  /** Uniform in [0, 1) with 53 bits (two words). */
  uniformDouble(): number {
    const a = this.u32();
    return uniform53(a, this.u32());
  }

  /** Unbiased integer in [0, n) for 1 <= n <= 2^32 (rejection of the biased tail). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296)
      throw new RangeError(`int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const a = this.u32();
    const [z0, z1] = boxMuller(a, this.u32());
    this.spareNormal = z1;
    return z0;
  }

  /** Poisson(lambda): inversion below 10, PTRS above (src/random/poisson.ts). */
  poisson(lambda: number): number {
    return poisson(lambda, () => this.uniformDouble());
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: T[] | Uint32Array | Int32Array | Float32Array | Float64Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
}
