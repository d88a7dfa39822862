import type { ParityCase } from './types.js';
import { check, freshSeed } from './types.js';
import { PhiloxStream } from '../../src/random/index.js';
import { planChunks, runChunked } from '../../src/engine/index.js';

const AXPY = `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (i < N) { y[i] = A * x[i] + y[i]; }
}`;

export const cases: ParityCase[] = [
  {
    name: 'engine: chunked axpy over a 2-D dispatch grid matches the host',
    async run(engine) {
      const gpu = engine.gpu!;
      const n = 70_000 * 64 + 17; // > 65535 workgroups of 64: needs the y dimension
      const seed = freshSeed();
      const rng = new PhiloxStream(seed, 3);
      const a = rng.uniformDouble() + 0.5;
      const x = Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
      const y0 = Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
      const chunks = planChunks(n, 4, Math.ceil(n / 2) * 4); // two chunks
      check(chunks.length === 2, `expected 2 chunks, got ${chunks.length}`);
      const out = new Float32Array(n);
      await runChunked(
        chunks,
        (c) => ({ x: x.subarray(c.start, c.end), y: y0.subarray(c.start, c.end) }),
        async (p, c) => {
          const m = c.end - c.start;
          const kernel = gpu.kernel({ name: 'parity/axpy', code: AXPY, defines: { N: m, A: { f32: a } } });
          await gpu.scope(async (s) => {
            const y = s.storage(p.y);
            gpu.submit([kernel.dispatch({ x: s.storage(p.x), y }, {}, Math.ceil(m / kernel.workgroupSize))]);
            out.set(await gpu.readF32(y, m), c.start);
          });
        },
      );
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[i]! - (Math.fround(a) * x[i]! + y0[i]!)));
      // |a x + y| < 2.5: two float32 roundings cost at most 2 × 2^-23 = 2.4e-7, whatever the draw.
      check(worst < 1e-6, `axpy max abs error ${worst} >= 1e-6; seed ${seed}`);
    },
  },
];
