// Philox4x32-10 in WGSL (kernels/lib/rng.wgsl) against the TypeScript generator: the Random123
// known-answer vectors on the GPU, then 10^6 words from a fresh random key and counter offset
// compared bit for bit, their 24-bit uniforms bit for bit, and Box–Muller normals to f32 accuracy.
import { boxMuller, philox4x32, uniform24 } from '../../src/random/index.js';
import type { Engine } from '../../src/engine/index.js';
import type { ParityCase } from './types.js';
import { check } from './types.js';

const DRAW = `// #import lib/index
// #import lib/rng
@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> words: array<u32>;
@group(0) @binding(2) var<storage, read_write> unif: array<f32>;
@group(0) @binding(3) var<storage, read_write> norm: array<f32>;
@compute @workgroup_size(WG) fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = linear_workgroup(wid, nwg) * WG + lid;
  if (i >= NBLOCKS) { return; }
  let r = philox4x32(vec4u(p[0] + i, p[1], p[2], p[3]), vec2u(p[4], p[5]));
  for (var j = 0u; j < 4u; j++) {
    words[4u * i + j] = r[j];
    unif[4u * i + j] = rng_uniform24(r[j]);
  }
  let z = rng_normal2(r.x, r.y);
  norm[2u * i] = z.x;
  norm[2u * i + 1u] = z.y;
}`;

const KAT: [number[], number[], number[]][] = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

/** Run the draw kernel for nBlocks consecutive counters starting at c (c[0] + i for block i). */
async function gpuDraw(engine: Engine, c: number[], k: number[], nBlocks: number) {
  const gpu = engine.gpu!;
  const kernel = gpu.kernel({ name: 'parity/rng_draw', code: DRAW, defines: { NBLOCKS: nBlocks } });
  return gpu.scope(async (s) => {
    const bufs = {
      p: s.storage(Uint32Array.from([...c, ...k])),
      words: s.storage(nBlocks * 16),
      unif: s.storage(nBlocks * 16),
      norm: s.storage(nBlocks * 8),
    };
    await gpu.validated('rng draw', () =>
      gpu.submit([kernel.dispatch(bufs, {}, Math.ceil(nBlocks / kernel.workgroupSize))]),
    );
    return {
      words: await gpu.readU32(bufs.words, nBlocks * 4),
      unif: await gpu.readF32(bufs.unif, nBlocks * 4),
      norm: await gpu.readF32(bufs.norm, nBlocks * 2),
    };
  });
}

const u32 = () => Math.floor(Math.random() * 4294967296);

export const cases: ParityCase[] = [
  {
    name: 'rng: WGSL Philox4x32-10 reproduces the Random123 known-answer vectors',
    async run(engine) {
      for (const [c, k, want] of KAT) {
        const got = Array.from((await gpuDraw(engine, c, k, 1)).words);
        check(
          got.every((w, j) => w === want[j]),
          `WGSL philox(${c.map((x) => x.toString(16))}; ${k.map((x) => x.toString(16))}) = ${got.map((x) => x.toString(16))}, want ${want.map((x) => x.toString(16))}`,
        );
      }
    },
  },
  {
    name: 'rng: 10^6 WGSL draws equal the TypeScript generator bit for bit (words and 24-bit uniforms; normals within the WGSL sin/cos error bound r·2^-11 + 1e-5)',
    async run(engine) {
      const nBlocks = 250_000; // 4 words each: 10^6 draws
      // Random key and counter words; c0 starts near 2^32 so the per-block counter wraps mid-run.
      const c = [0xffffffff - Math.floor(Math.random() * nBlocks), u32(), u32(), u32()];
      const k = [u32(), u32()];
      const g = await gpuDraw(engine, c, k, nBlocks);
      const block = new Uint32Array(4);
      let wordDiff = 0,
        unifDiff = 0,
        worstNormal = 0,
        firstBad = -1;
      for (let i = 0; i < nBlocks; i++) {
        philox4x32((c[0]! + i) >>> 0, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!, block);
        for (let j = 0; j < 4; j++) {
          if (g.words[4 * i + j] !== block[j]) {
            wordDiff++;
            if (firstBad < 0) firstBad = i;
          }
          if (g.unif[4 * i + j] !== Math.fround(uniform24(block[j]!))) unifDiff++;
        }
        const [z0, z1] = boxMuller(block[0]!, block[1]!);
        // WGSL allows sin/cos an absolute error of 2^-11 on [-pi, pi] (scaled by the radius r) and
        // log 2^-21 absolute near 1 (r^2 = -2 log u, so r is off by up to 2^-21 / r).
        const r = Math.hypot(z0, z1);
        const bound = r * 2 ** -11 + 2 ** -21 / Math.max(r, 1e-3) + 1e-5;
        worstNormal = Math.max(
          worstNormal,
          Math.abs(g.norm[2 * i]! - z0) / bound,
          Math.abs(g.norm[2 * i + 1]! - z1) / bound,
        );
      }
      const key = `key (${k.map((x) => x.toString(16))}), counter (${c.map((x) => x.toString(16))})`;
      check(
        wordDiff === 0,
        `${wordDiff} of ${4 * nBlocks} WGSL words differ from TypeScript (first at block ${firstBad}); ${key}`,
      );
      check(unifDiff === 0, `${unifDiff} WGSL uniforms differ from TypeScript's uniform24; ${key}`);
      check(
        worstNormal <= 1,
        `f32 Box-Muller normals differ from float64 by ${worstNormal.toFixed(3)} x the bound r 2^-11 + 2^-21/r + 1e-5; ${key}`,
      );
    },
  },
];
