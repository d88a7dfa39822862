// The K <= 4 class-distance kernels (nearest.wgsl, loglik.wgsl: 16 pixels per thread, four groups of four) on pixel
// counts that leave a partial last thread, against the float64 reference. (K > 4 and the sweeps:
// test/parity/mrf.parity.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.js';
import { statsLayout } from '../../../src/methods/mrf/backend.js';
import { CpuMrfBackend } from '../../../src/methods/mrf/cpu.js';
import { GpuMrfBackend } from '../../../src/methods/mrf/gpu.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { openTestEngine } from '../../gpu-engine.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine();
});
afterAll(() => engine?.close());

describe('class distances, 16 pixels per thread (K <= 4)', () => {
  for (const [ny, nx, d, k] of [
    [37, 53, 7, 3],
    [16, 16, 32, 4],
    [1, 300, 5, 2],
    [5, 51, 4, 1],
    [20, 30, 9, 2],
    [300, 300, 5, 3], // 88 blocks of 1024 pixels on 64 workgroups: the first 24 loop twice
  ] as const) {
    it(`k-means assignment and log-likelihood table: ${ny}×${nx} pixels (${(ny * nx) % 1024} in the last 1024), ${d} channels, K = ${k}`, async () => {
      const seed = Math.floor(Math.random() * 2 ** 32);
      const rng = new PhiloxStream(seed, 1);
      const x = {
        data: Float32Array.from({ length: ny * nx * d }, () => rng.uniformDouble() * 4 - 2),
        ny,
        nx,
        channels: d,
      };
      const means = Float64Array.from({ length: k * d }, () => rng.uniformDouble() * 2 - 1);
      const lat = { ny, nx, neighbours: 4 as const, periodic: false };
      const g = new GpuMrfBackend(engine.gpu!, x, k, lat, seed, 0);
      const c = new CpuMrfBackend(x, k, lat, seed, 0);
      try {
        g.assignNearest(means);
        c.assignNearest(means);
        const lg = await g.labels();
        const lc = await c.labels();
        let diff = 0;
        for (let p = 0; p < lg.length; p++) if (lg[p] !== lc[p]) diff++;
        // float32 vs float64 distances may flip a near-tie; every pixel (the last ones too) is written.
        expect(diff, `seed ${seed}: labels differ in ${diff} of ${lg.length} pixels`).toBeLessThanOrEqual(2);
        expect(
          lg.reduce((m, v) => Math.max(m, v), 0),
          `seed ${seed}`,
        ).toBeLessThan(k);
        // The log-likelihood table (loglik.wgsl, same pixel blocks): its sum at the same labels.
        const variances = Float64Array.from({ length: k }, () => 0.5 + rng.uniformDouble());
        for (const b of [g, c]) {
          b.setLabels(lg);
          b.setClassParams(means, variances);
        }
        const L = statsLayout(k, d);
        const llg = (await g.stats(means))[L.loglik]!;
        const llc = (await c.stats(means))[L.loglik]!;
        expect(Math.abs(llg - llc) / Math.abs(llc), `seed ${seed}: loglik sum GPU ${llg} vs CPU ${llc}`).toBeLessThan(
          2e-4,
        );
      } finally {
        g.dispose();
        c.dispose();
      }
    });
  }
});
