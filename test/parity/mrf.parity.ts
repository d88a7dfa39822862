// Potts-MRF kernels (kernels/mrf/*.wgsl) against the float64 reference backend on fresh random
// inputs: k-means assignment, class statistics, the log-likelihood table and Gibbs sweeps with
// the same Philox counters (free edges with a row length that is no multiple of 8, the packed
// labels' partial last word; periodic edges wrapping across such a word; T = 1 sweeps weighed
// by products, annealing sweeps and beta · neighbours > 64 by exp). Tolerances: assignments and sampled labels identical except where a
// float32 rounding flips a comparison (at most 0.2 % of pixels after 3 sweeps); class sums within
// 2e-4 relative to their scale (float32 partial sums over strips of <= 512 pixels).
import type { Engine } from '../../src/engine/index.js';
import { NO_ANNEAL, statsLayout } from '../../src/methods/mrf/backend.js';
import { CpuMrfBackend } from '../../src/methods/mrf/cpu.js';
import { GpuMrfBackend } from '../../src/methods/mrf/gpu.js';
import type { Lattice } from '../../src/methods/mrf/lattice.js';
import type { ParityCase } from './types.js';
import { check } from './types.js';

function randomProblem(ny: number, nx: number, d: number, k: number) {
  const data = Float32Array.from({ length: ny * nx * d }, () => Math.random() * 4 - 2);
  const means = Float64Array.from({ length: k * d }, () => Math.random() * 2 - 1);
  const variances = Float64Array.from({ length: k }, () => 0.5 + Math.random() * 2);
  const labels = Uint32Array.from({ length: ny * nx }, () => Math.floor(Math.random() * k));
  return { x: { data, ny, nx, channels: d }, means, variances, labels, seed: Math.floor(Math.random() * 2 ** 32) };
}

function both(engine: Engine, p: ReturnType<typeof randomProblem>, k: number, lat: Lattice) {
  return [new GpuMrfBackend(engine.gpu!, p.x, k, lat, p.seed, 0), new CpuMrfBackend(p.x, k, lat, p.seed, 0)] as const;
}

function differing(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

export const cases: ParityCase[] = [
  {
    name: 'mrf: k-means assignment and class statistics match the float64 reference',
    async run(engine) {
      const k = 5;
      const p = randomProblem(37, 53, 7, k); // odd sizes: partial groups and strips
      const [g, c] = both(engine, p, k, { ny: 37, nx: 53, neighbours: 4, periodic: false });
      try {
        g.assignNearest(p.means);
        c.assignNearest(p.means);
        const lg = await g.labels();
        const diff = differing(lg, await c.labels());
        check(diff <= 2, `nearest-mean labels differ in ${diff} of ${lg.length} pixels (> 2 near-ties)`);
        g.setLabels(p.labels);
        c.setLabels(p.labels);
        g.setClassParams(p.means, p.variances);
        c.setClassParams(p.means, p.variances);
        const sg = await g.stats(p.means);
        const sc = await c.stats(p.means);
        const L = statsLayout(k, 7);
        for (let i = 0; i < L.length; i++) {
          const scale = i === L.loglik ? Math.abs(sc[i]!) : Math.max(1, Math.abs(sc[i]!), i < L.loglik ? sc[Math.floor(i / L.stride) * L.stride]! : 1);
          const err = Math.abs(sg[i]! - sc[i]!) / scale;
          check(err < 2e-4, `class statistic ${i} of ${L.length}: GPU ${sg[i]} vs CPU ${sc[i]} (relative ${err.toExponential(2)} >= 2e-4)`);
        }
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  },
  ...([[8, 4], [4, 6]] as const).map(([nb, k]): ParityCase => ({
    name: `mrf: Gibbs sweeps (K = ${k}, ${nb} neighbours, free edges, annealing and counts) follow the reference chain`,
    async run(engine) {
      const ny = 41;
      const nx = 66;
      const p = randomProblem(ny, nx, 3, k);
      const [g, c] = both(engine, p, k, { ny, nx, neighbours: nb, periodic: false });
      try {
        for (const b of [g, c]) {
          b.setLabels(p.labels);
          b.setClassParams(p.means, p.variances);
          b.resetCounts();
          b.sweeps({ from: 7, count: 3, beta: 0.9, countFrom: 8, annealStart: 8, decay: 0.5, tMin: 0.3 });
        }
        const lg = await g.labels();
        const lc = await c.labels();
        const diff = differing(lg, lc);
        check(diff <= 0.002 * lg.length, `after 3 sweeps ${diff} of ${lg.length} labels differ (> 0.2 %); seed ${p.seed}`);
        const cg = await g.counts();
        const cc = await c.counts();
        let total = 0;
        for (let i = 0; i < cg.length; i++) total += cg[i]!;
        check(total === 2 * ny * nx, `GPU counts sum to ${total}, expected 2 counted sweeps × ${ny * nx} pixels`);
        const cdiff = differing(cg, cc);
        check(cdiff <= 4 * diff, `label counts differ in ${cdiff} entries while only ${diff} labels differ; seed ${p.seed}`);
        // Without the data term and at beta 0 every class is equally likely: the same chain exactly.
        for (const b of [g, c]) {
          b.setZeroDataTerm();
          b.sweeps({ from: 0, count: 2, beta: 0, countFrom: 0xffffffff, ...NO_ANNEAL });
        }
        const free = differing(await g.labels(), await c.labels());
        check(free === 0, `beta = 0, no data term: ${free} labels differ (the uniforms must be bit-identical)`);
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  })),
  ...([[4, 3], [8, 4]] as const).map(([nb, k]): ParityCase => ({
    name: `mrf: Gibbs sweeps on a periodic lattice of 46 columns (K = ${k}, ${nb} neighbours) follow the reference chain`,
    async run(engine) {
      const ny = 30;
      const nx = 46; // 46 % 8 = 6: the row wraps inside a partial packed word
      const p = randomProblem(ny, nx, 2, k);
      const [g, c] = both(engine, p, k, { ny, nx, neighbours: nb, periodic: true });
      try {
        for (const b of [g, c]) {
          b.setLabels(p.labels);
          b.setClassParams(p.means, p.variances);
          b.sweeps({ from: 3, count: 3, beta: 0.8, countFrom: 0xffffffff, ...NO_ANNEAL });
        }
        const diff = differing(await g.labels(), await c.labels());
        check(diff <= 0.002 * ny * nx, `after 3 sweeps ${diff} of ${ny * nx} labels differ (> 0.2 %); seed ${p.seed}`);
        // Potts prior only (no data term), beta 0.5: identical weights up to rounding, every edge used.
        for (const b of [g, c]) {
          b.setZeroDataTerm();
          b.sweeps({ from: 0, count: 4, beta: 0.5, countFrom: 0xffffffff, ...NO_ANNEAL });
        }
        const prior = differing(await g.labels(), await c.labels());
        check(prior <= 0.002 * ny * nx, `data term off, beta 0.5: ${prior} of ${ny * nx} labels differ (> 0.2 %); seed ${p.seed}`);
        // beta 9: with 8 neighbours beta · 8 > 64, so both weigh by exp at T = 1 (backend.ts likeFactor).
        for (const b of [g, c]) b.sweeps({ from: 4, count: 2, beta: 9, countFrom: 0xffffffff, ...NO_ANNEAL });
        const strong = differing(await g.labels(), await c.labels());
        check(strong <= 0.002 * ny * nx, `data term off, beta 9: ${strong} of ${ny * nx} labels differ (> 0.2 %); seed ${p.seed}`);
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  })),
];
