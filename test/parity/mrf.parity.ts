// Potts-MRF kernels (kernels/mrf/*.wgsl) against the float64 reference backend on fresh random
// inputs: k-means assignment, class statistics, the log-likelihood table and Gibbs sweeps with
// the same Philox counters (free edges with a row length that is no multiple of 8, the packed
// labels' partial last word; periodic edges wrapping across such a word; T = 1 sweeps weighed
// by products, annealing sweeps and beta · neighbours > 64 by exp). Tolerances: assignments
// identical except at <= 2 near-ties; sweeps compared one at a time from the same labels, equal
// except around one float32 rounding flip per sweep (lockstep below), and 3 sweeps in one call
// within 2 % (flips spread); class sums within 2e-4 relative to their scale (float32 partial sums
// over strips of <= 512 pixels). Every input comes from one fresh seed, printed on failure.
// Masked cases: a fresh random pixel mask (~12 % of the pixels and one dead column left out,
// their features NaN) under the same tolerances; masked pixels hold label K on both backends,
// before and after every operation, and are never counted.
// Label counts over more than 255 counted sweeps (the GPU keeps K <= 4 counts in 8-bit counters,
// flushed into the u32 counts every 255 counted sweeps and before a read): without data term and
// at beta 0 both chains draw from bit-identical uniforms, so GPU and CPU counts are equal exactly;
// with coupling and a data term, sweep by sweep, the GPU counts equal exactly the draws seen in
// the GPU's labels after each sweep.
import type { Engine } from '../../src/engine/index.js';
import { NO_ANNEAL, statsLayout, type MrfBackend, type SweepPlan } from '../../src/methods/mrf/backend.js';
import { CpuMrfBackend } from '../../src/methods/mrf/cpu.js';
import { GpuMrfBackend } from '../../src/methods/mrf/gpu.js';
import type { Lattice } from '../../src/methods/mrf/lattice.js';
import type { ParityCase } from './types.js';
import { check, freshSeed } from './types.js';
import { PhiloxStream } from '../../src/random/index.js';

/** Data, class parameters and labels from a fresh seed (also the Gibbs chains' seed). */
function randomProblem(ny: number, nx: number, d: number, k: number, seed = freshSeed()) {
  const rng = new PhiloxStream(seed, 1);
  const data = Float32Array.from({ length: ny * nx * d }, () => rng.uniformDouble() * 4 - 2);
  const means = Float64Array.from({ length: k * d }, () => rng.uniformDouble() * 2 - 1);
  const variances = Float64Array.from({ length: k }, () => 0.5 + rng.uniformDouble() * 2);
  const labels = Uint32Array.from({ length: ny * nx }, () => rng.int(k));
  return { x: { data, ny, nx, channels: d }, means, variances, labels, seed };
}

function both(
  engine: Engine,
  p: ReturnType<typeof randomProblem>,
  k: number,
  lat: Lattice,
  valid: Uint8Array | null = null,
) {
  return [
    new GpuMrfBackend(engine.gpu!, p.x, k, lat, p.seed, 0, valid),
    new CpuMrfBackend(p.x, k, lat, p.seed, 0, valid),
  ] as const;
}

/** A random pixel mask (~12 % left out, and column `dead`) from the problem's seed; the masked
 *  pixels' features set to NaN (no backend may read them). */
function maskProblem(p: ReturnType<typeof randomProblem>, dead: number): Uint8Array {
  const { ny, nx, channels } = p.x;
  const rng = new PhiloxStream(p.seed, 2);
  const valid = Uint8Array.from({ length: ny * nx }, (_, i) => (i % nx === dead || rng.uniformDouble() < 0.12 ? 0 : 1));
  for (let i = 0; i < ny * nx; i++) if (!valid[i]) p.x.data.fill(NaN, i * channels, (i + 1) * channels);
  return valid;
}

/** Every masked pixel labelled K (no class), every other one a class < K. */
function checkMasked(labels: Uint32Array, valid: Uint8Array, k: number, at: string): void {
  for (let i = 0; i < labels.length; i++) {
    const ok = valid[i] ? labels[i]! < k : labels[i] === k;
    check(ok, `pixel ${i} (${valid[i] ? 'selected' : 'masked'}) holds label ${labels[i]} (K = ${k}); ${at}`);
  }
}

/** All label counts, and those at pixels a mask leaves out (counts [pixel][k]; no mask: 0). */
function countTotals(
  counts: Uint32Array,
  k: number,
  valid: Uint8Array | null | undefined,
): { total: number; maskedCounts: number } {
  let total = 0;
  let maskedCounts = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i]!;
    if (valid && !valid[Math.floor(i / k)]) maskedCounts += counts[i]!;
  }
  return { total, maskedCounts };
}

function differing(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Lattice distance (Chebyshev; across the wrap on a periodic lattice) of pixels i and j. */
function distance(lat: Lattice, i: number, j: number): number {
  let dy = Math.abs(Math.floor(i / lat.nx) - Math.floor(j / lat.nx));
  let dx = Math.abs((i % lat.nx) - (j % lat.nx));
  if (lat.periodic) {
    dy = Math.min(dy, lat.ny - dy);
    dx = Math.min(dx, lat.nx - dx);
  }
  return Math.max(dy, dx);
}

/**
 * GPU and CPU sweep one sweep at a time from the same labels (the CPU's after each sweep), so the
 * sweeps are compared one by one and a rounding flip is not carried on. In one sweep a float32
 * rounding can flip a draw (the uniform within float32 rounding of a cumulative weight: in 1 of
 * ~1500 runs of a case, over its 3 sweeps), and neighbours of the flipped pixel updated later in
 * that sweep may follow it, one pixel further per later colour (2 colours with 4 neighbours, 4
 * with 8): so the differing pixels of a sweep must fit in one window of 3×3 (4 neighbours) or 7×7
 * (8) pixels: one event (1 + 3 neighbours seen). Two events in one sweep: ~(2e-4)^2 / 2 = 2e-8.
 * A kernel bug (wrong neighbour, edge, weight or uniform) differs in many places. Returns the
 * differing count per sweep, and the CPU's labels after the last; `seen` gets the GPU's labels
 * after each sweep.
 */
async function lockstep(
  g: MrfBackend,
  c: MrfBackend,
  start: Uint32Array,
  lat: Lattice,
  plan: SweepPlan,
  at: string,
  seen?: (gpuLabels: Uint32Array) => void,
): Promise<number[] & { labels: Uint32Array }> {
  const perSweep: number[] = [];
  let labels = start;
  for (let s = plan.from; s < plan.from + plan.count; s++) {
    for (const b of [g, c]) {
      b.setLabels(labels);
      b.sweeps({ ...plan, from: s, count: 1 });
    }
    const lg = await g.labels();
    seen?.(lg);
    labels = await c.labels();
    const where: number[] = [];
    for (let i = 0; i < lg.length; i++) if (lg[i] !== labels[i]) where.push(i);
    const reach = lat.neighbours === 8 ? 3 : 1;
    const spread =
      where.length > (2 * reach + 1) ** 2
        ? Infinity
        : Math.max(0, ...where.flatMap((i) => where.map((j) => distance(lat, i, j))));
    check(
      spread <= 2 * reach,
      `sweep ${s}: ${where.length} of ${lg.length} labels differ${where.length ? ` (pixels ${where.slice(0, 8).join(', ')}${where.length > 8 ? ', ...' : ''})` : ''}, more than one rounding flip and its neighbours; ${at}`,
    );
    perSweep.push(where.length);
  }
  return Object.assign(perSweep, { labels });
}

/** The sweeps of `plan` in one call from `start` on both: at most `share` of the labels differ. */
async function chain(
  g: MrfBackend,
  c: MrfBackend,
  start: Uint32Array,
  plan: SweepPlan,
  share: number,
  at: string,
): Promise<void> {
  for (const b of [g, c]) {
    b.setLabels(start);
    b.sweeps(plan);
  }
  const lg = await g.labels();
  const diff = differing(lg, await c.labels());
  check(
    diff <= share * lg.length,
    `${plan.count} sweeps in one call: ${diff} of ${lg.length} labels differ (> ${share * 100} %); ${at}`,
  );
}

export const cases: ParityCase[] = [
  {
    name: 'mrf: k-means assignment and class statistics (K = 3, 4: 16 pixels per thread; K = 5: one; 7, 16 and 44 channels) match the float64 reference',
    async run(engine) {
      // 7 channels: DV = 2 (stats.wgsl reads vec4s); 16: one mat4x4f block; 44: 3 blocks, the last of 3 quads.
      for (const d of [7, 16, 44]) for (const k of [3, 4, 5]) await kmeansStats(engine, k, false, d);
    },
  },
  ...([4, 8] as const).map((nb): ParityCase => ({
    // On a software adapter a sweep dispatch runs at most 8 workgroups that stride over the colour's
    // thread slots (gibbs.wgsl SWEEP_GROUPS): 131 × 66 pixels are 1179 slots per colour with 4
    // neighbours (3 passes of 512) and 594 with 8 (2 passes), so every pass is exercised.
    name: `mrf: Gibbs sweeps where each sweep workgroup strides over several thread blocks (K = 4, ${nb} neighbours) follow the reference chain`,
    async run(engine) {
      const ny = 131;
      const nx = 66;
      const p = randomProblem(ny, nx, 3, 4);
      const lat = { ny, nx, neighbours: nb, periodic: false } as const;
      const [g, c] = both(engine, p, 4, lat);
      try {
        for (const b of [g, c]) {
          b.setClassParams(p.means, p.variances);
          b.resetCounts();
        }
        await lockstep(
          g,
          c,
          p.labels,
          lat,
          { beta: 0.9, countFrom: 0, ...NO_ANNEAL, from: 3, count: 3 },
          `seed ${p.seed}`,
        );
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  })),
  ...(
    [
      [8, 4],
      [4, 6],
    ] as const
  ).map(([nb, k]): ParityCase => ({
    name: `mrf: Gibbs sweeps (K = ${k}, ${nb} neighbours, free edges, annealing and counts) follow the reference chain`,
    async run(engine) {
      const ny = 41;
      const nx = 66;
      const p = randomProblem(ny, nx, 3, k);
      const lat = { ny, nx, neighbours: nb, periodic: false } as const;
      const [g, c] = both(engine, p, k, lat);
      try {
        const plan = { beta: 0.9, countFrom: 8, annealStart: 8, decay: 0.5, tMin: 0.3 };
        for (const b of [g, c]) {
          b.setClassParams(p.means, p.variances);
          b.resetCounts();
        }
        const flips = await lockstep(g, c, p.labels, lat, { ...plan, from: 7, count: 3 }, `seed ${p.seed}`);
        const cg = await g.counts();
        const cc = await c.counts();
        let total = 0;
        for (let i = 0; i < cg.length; i++) total += cg[i]!;
        check(
          total === 2 * ny * nx,
          `GPU counts sum to ${total}, expected 2 counted sweeps × ${ny * nx} pixels; seed ${p.seed}`,
        );
        // Each label that differed in a counted sweep (8 and 9) moves exactly 2 count entries.
        const cdiff = differing(cg, cc);
        const counted = flips[1]! + flips[2]!;
        check(
          cdiff <= 2 * counted,
          `label counts differ in ${cdiff} entries, more than 2 × the ${counted} labels that differed in the counted sweeps; seed ${p.seed}`,
        );
        // The same 3 sweeps in one call (the sweep index travels on the GPU, and with it the
        // temperature): one rounding flip (1 in ~1500 runs) spreads to a few neighbours over the
        // later sweeps (up to 7 of these 2706 labels seen; 2 % is 54), while a wrong sweep index or
        // temperature changes most of them.
        await chain(g, c, p.labels, { ...plan, from: 7, count: 3 }, 0.02, `seed ${p.seed}`);
        // Without the data term and at beta 0 every class is equally likely: the same chain exactly.
        for (const b of [g, c]) {
          b.setZeroDataTerm();
          b.sweeps({ from: 0, count: 2, beta: 0, countFrom: 0xffffffff, ...NO_ANNEAL });
        }
        // The uniforms are bit-identical, but for K > 4 the kernel scales one by the total weight K in
        // float32 (gibbs.wgsl: u = u0 · total), which can round up onto a class boundary: for K = 6
        // exactly 1 of the 2^24 uniforms does (u0 = 13981013 / 2^24: 5 - 2^-23 rounds to 5), so one
        // pixel of these 2 × 2706 draws differs, by +1 class, in 3.2e-4 of runs; two in 5e-8. K = 4
        // scales by 4, exactly. A wrong uniform or counter changes most of the pixels.
        const lg0 = await g.labels();
        const lc0 = await c.labels();
        const free = differing(lg0, lc0);
        const roundedUp = lg0.filter((z, i) => z === lc0[i]! + 1).length;
        check(
          free <= (k > 4 ? 1 : 0) && roundedUp === free,
          `beta = 0, no data term: ${free} labels differ (${roundedUp} by +1 class; the uniforms must be bit-identical, at most one rounded onto a boundary for K > 4); seed ${p.seed}`,
        );
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  })),
  ...(
    [
      [4, 3],
      [8, 4],
    ] as const
  ).map(([nb, k]): ParityCase => ({
    name: `mrf: Gibbs sweeps on a periodic lattice of 46 columns (K = ${k}, ${nb} neighbours) follow the reference chain`,
    async run(engine) {
      const ny = 30;
      const nx = 46; // 46 % 8 = 6: the row wraps inside a partial packed word
      const p = randomProblem(ny, nx, 2, k);
      const lat = { ny, nx, neighbours: nb, periodic: true } as const;
      const [g, c] = both(engine, p, k, lat);
      try {
        for (const b of [g, c]) b.setClassParams(p.means, p.variances);
        const first = await lockstep(
          g,
          c,
          p.labels,
          lat,
          { from: 3, count: 3, beta: 0.8, countFrom: 0xffffffff, ...NO_ANNEAL },
          `seed ${p.seed}`,
        );
        await chain(
          g,
          c,
          p.labels,
          { from: 3, count: 3, beta: 0.8, countFrom: 0xffffffff, ...NO_ANNEAL },
          0.02,
          `seed ${p.seed}`,
        );
        // Potts prior only (no data term), beta 0.5: identical weights up to rounding, every edge used.
        for (const b of [g, c]) b.setZeroDataTerm();
        const prior = await lockstep(
          g,
          c,
          first.labels,
          lat,
          { from: 0, count: 4, beta: 0.5, countFrom: 0xffffffff, ...NO_ANNEAL },
          `data term off, beta 0.5; seed ${p.seed}`,
        );
        // beta 9: with 8 neighbours beta · 8 > 64, so both weigh by exp at T = 1 (backend.ts likeFactor).
        await lockstep(
          g,
          c,
          prior.labels,
          lat,
          { from: 4, count: 2, beta: 9, countFrom: 0xffffffff, ...NO_ANNEAL },
          `data term off, beta 9; seed ${p.seed}`,
        );
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  })),
  {
    name: 'mrf, pixel mask (NaN features, one dead column): k-means assignment and class statistics (K = 3, 4, 5; K = 4 with 32 channels) match the reference; masked pixels stay K',
    async run(engine) {
      for (const k of [3, 4, 5]) await kmeansStats(engine, k, true);
      await kmeansStats(engine, 4, true, 32);
    },
  },
  ...(
    [
      [8, 4],
      [4, 6],
      [4, 3],
    ] as const
  ).map(([nb, k]): ParityCase => ({
    name: `mrf, pixel mask: Gibbs sweeps (K = ${k}, ${nb} neighbours, free edges, annealing and counts) follow the reference chain; masked pixels stay K, absent as neighbours, uncounted`,
    async run(engine) {
      const ny = 41;
      const nx = 66;
      const p = randomProblem(ny, nx, 3, k);
      const valid = maskProblem(p, 17);
      const selected = valid.reduce((a, b) => a + b, 0);
      const lat = { ny, nx, neighbours: nb, periodic: false } as const;
      const [g, c] = both(engine, p, k, lat, valid);
      const at = `seed ${p.seed}`;
      try {
        checkMasked(await g.labels(), valid, k, `GPU labels as made; ${at}`);
        const plan = { beta: 0.9, countFrom: 8, annealStart: 8, decay: 0.5, tMin: 0.3 };
        for (const b of [g, c]) {
          b.setClassParams(p.means, p.variances);
          b.resetCounts();
        }
        // setLabels puts K at the masked pixels whatever they are given (here random classes).
        const flips = await lockstep(g, c, p.labels, lat, { ...plan, from: 7, count: 3 }, at);
        checkMasked(flips.labels, valid, k, `CPU after 3 sweeps; ${at}`);
        checkMasked(await g.labels(), valid, k, `GPU after 3 sweeps; ${at}`);
        const cg = await g.counts();
        const cc = await c.counts();
        const { total, maskedCounts } = countTotals(cg, k, valid);
        check(
          maskedCounts === 0 && total === 2 * selected,
          `GPU counts: ${maskedCounts} at masked pixels (expected 0), ${total} in all (expected 2 counted sweeps × ${selected} selected pixels); ${at}`,
        );
        const cdiff = differing(cg, cc);
        const counted = flips[1]! + flips[2]!;
        check(
          cdiff <= 2 * counted,
          `label counts differ in ${cdiff} entries, more than 2 × the ${counted} labels that differed in the counted sweeps; ${at}`,
        );
        await chain(g, c, p.labels, { ...plan, from: 7, count: 3 }, 0.02, at);
        checkMasked(await g.labels(), valid, k, `GPU after 3 sweeps in one call; ${at}`);
        // Potts prior alone at a strong coupling: every selected pixel's weights come from its
        // neighbours only, so a masked pixel taken as a class (or as a neighbour at all) shows at once.
        for (const b of [g, c]) b.setZeroDataTerm();
        const prior = await lockstep(
          g,
          c,
          flips.labels,
          lat,
          { from: 0, count: 3, beta: 1.5, countFrom: 0xffffffff, ...NO_ANNEAL },
          `data term off, beta 1.5; ${at}`,
        );
        checkMasked(prior.labels, valid, k, `CPU, prior alone; ${at}`);
        checkMasked(await g.labels(), valid, k, `GPU, prior alone; ${at}`);
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  })),
  ...([3, 4] as const).flatMap((k) =>
    ([4, 8] as const).flatMap((nb) =>
      [false, true].map((masked): ParityCase => {
        // 21 columns: a partial last packed word (pixels past the row end, never counted).
        const nx = masked === (nb === 4) ? 21 : 24;
        return {
          name: `mrf${masked ? ', pixel mask' : ''}: label counts over 1000+ counted sweeps (K = ${k}, ${nb} neighbours, 16 × ${nx}; beta 0, no data term) equal the reference's exactly, in one call and across calls and resets`,
          run: (engine) => exactCounts(engine, k, nb, nx, masked),
        };
      }),
    ),
  ),
  {
    name: 'mrf, pixel mask: label counts over 300 counted sweeps run one per call (K = 4, 8 neighbours, 16 × 21, beta 0.9 with data term) equal the draws in the GPU labels exactly and the reference within its rounding flips',
    async run(engine) {
      const ny = 16;
      const nx = 21;
      const k = 4;
      const p = randomProblem(ny, nx, 3, k);
      const valid = maskProblem(p, 5);
      const lat = { ny, nx, neighbours: 8, periodic: false } as const;
      const [g, c] = both(engine, p, k, lat, valid);
      const at = `seed ${p.seed}`;
      try {
        for (const b of [g, c]) {
          b.setClassParams(p.means, p.variances);
          b.resetCounts();
        }
        const drawn = new Uint32Array(ny * nx * k);
        const flips = await lockstep(
          g,
          c,
          p.labels,
          lat,
          { beta: 0.9, countFrom: 0, ...NO_ANNEAL, from: 0, count: 300 },
          at,
          (lg) => {
            for (let i = 0; i < lg.length; i++) if (lg[i]! < k) drawn[i * k + lg[i]!]!++;
          },
        );
        const cg = await g.counts();
        const wrong = differing(cg, drawn);
        check(
          wrong === 0,
          `GPU counts differ from the draws in its labels in ${wrong} of ${cg.length} entries (first at ${cg.findIndex((v, i) => v !== drawn[i])}); ${at}`,
        );
        const counted = flips.reduce((a, b) => a + b, 0);
        const cdiff = differing(cg, await c.counts());
        check(
          cdiff <= 2 * counted,
          `label counts differ in ${cdiff} entries, more than 2 × the ${counted} labels that differed over the counted sweeps; ${at}`,
        );
      } finally {
        g.dispose();
        c.dispose();
      }
    },
  },
];

/**
 * Counts without data term at beta 0 (every draw from the uniform alone; K = 3 and 4 scale it
 * exactly in float32, see the beta = 0 check above), GPU vs CPU through one sequence of calls:
 * 1100 sweeps in one call counting from sweep 20 (1080 counted, ~360 (K = 3) or ~270 (K = 4) of
 * each label per pixel: an 8-bit counter would wrap without the 4 flushes inside the submit),
 * read; 200 + 100 counted sweeps in two calls (the counters carried across calls, flushed in the
 * second), read; 7 counted sweeps, a reset, 5 more, read. Every read must equal the CPU's.
 */
async function exactCounts(engine: Engine, k: number, nb: 4 | 8, nx: number, masked: boolean): Promise<void> {
  const ny = 16;
  const p = randomProblem(ny, nx, 2, k);
  const valid = masked ? maskProblem(p, 3) : null;
  const selected = valid ? valid.reduce((a, b) => a + b, 0) : ny * nx;
  const lat = { ny, nx, neighbours: nb, periodic: false } as const;
  const [g, c] = both(engine, p, k, lat, valid);
  const at = `K = ${k}, ${nb} neighbours, 16 × ${nx}${masked ? ', masked' : ''}, seed ${p.seed}`;
  const plan = { beta: 0, countFrom: 0, ...NO_ANNEAL };
  const compare = async (sweeps: number, stage: string) => {
    const cg = await g.counts();
    const cc = await c.counts();
    const { total, maskedCounts } = countTotals(cg, k, valid);
    check(
      maskedCounts === 0 && total === sweeps * selected,
      `${stage}: GPU counts ${maskedCounts} at masked pixels (expected 0), ${total} in all (expected ${sweeps} counted sweeps × ${selected} pixels); ${at}`,
    );
    const diff = differing(cg, cc);
    check(
      diff === 0,
      `${stage}: GPU and CPU label counts differ in ${diff} of ${cg.length} entries (first at ${cg.findIndex((v, i) => v !== cc[i])}: GPU ${cg.find((v, i) => v !== cc[i])}); ${at}`,
    );
  };
  try {
    for (const b of [g, c]) {
      b.setZeroDataTerm();
      b.setLabels(p.labels);
      b.resetCounts();
      b.sweeps({ ...plan, from: 0, count: 1100, countFrom: 20 });
    }
    await compare(1080, '1100 sweeps in one call, counted from sweep 20');
    const lg = await g.labels();
    const free = differing(lg, await c.labels());
    check(
      free === 0,
      `after 1100 sweeps: ${free} labels differ (bit-identical uniforms at beta 0 must draw the same); ${at}`,
    );
    for (const b of [g, c]) {
      b.sweeps({ ...plan, from: 1100, count: 200 });
      b.sweeps({ ...plan, from: 1300, count: 100 });
    }
    await compare(1080 + 300, '200 + 100 more counted sweeps in two calls');
    for (const b of [g, c]) {
      b.sweeps({ ...plan, from: 1400, count: 7 });
      b.resetCounts();
      b.sweeps({ ...plan, from: 1407, count: 5 });
    }
    await compare(5, '7 counted sweeps, a reset, 5 more');
  } finally {
    g.dispose();
    c.dispose();
  }
}

/** k-means assignment and class statistics of a fresh random problem with K = k, GPU vs CPU
 *  (with a random pixel mask and NaN features at the masked pixels when `masked`). */
async function kmeansStats(engine: Engine, k: number, masked = false, d = 7): Promise<void> {
  const p = randomProblem(37, 53, d, k); // odd sizes: partial groups and strips, 4-label groups
  const valid = masked ? maskProblem(p, 52) : null;
  const [g, c] = both(engine, p, k, { ny: 37, nx: 53, neighbours: 4, periodic: false }, valid);
  try {
    g.assignNearest(p.means);
    c.assignNearest(p.means);
    const lg = await g.labels();
    const diff = differing(lg, await c.labels());
    check(
      diff <= 2,
      `nearest-mean labels differ in ${diff} of ${lg.length} pixels (> 2 near-ties); K = ${k}, ${d} channels, seed ${p.seed}`,
    );
    if (valid) checkMasked(lg, valid, k, `GPU nearest-mean labels; K = ${k}, ${d} channels, seed ${p.seed}`);
    g.setLabels(p.labels);
    c.setLabels(p.labels);
    g.setClassParams(p.means, p.variances);
    c.setClassParams(p.means, p.variances);
    const L = statsLayout(k, d);
    // All statistics, then the class counts and sums alone (k-means: no summary pass, the
    // loglik and like-edge entries 0 on both backends).
    for (const classesOnly of [false, true]) {
      const sg = await g.stats(p.means, classesOnly);
      const sc = await c.stats(p.means, classesOnly);
      for (let i = 0; i < L.length; i++) {
        const scale =
          i === L.loglik
            ? Math.max(Math.abs(sc[i]!), classesOnly ? 1 : 0)
            : Math.max(1, Math.abs(sc[i]!), i < L.loglik ? sc[Math.floor(i / L.stride) * L.stride]! : 1);
        const err = Math.abs(sg[i]! - sc[i]!) / scale;
        check(
          Number.isFinite(sc[i]!) && err < 2e-4,
          `class statistic ${i} of ${L.length}${classesOnly ? ' (classes only)' : ''}: GPU ${sg[i]} vs CPU ${sc[i]} (relative ${err.toExponential(2)} >= 2e-4); K = ${k}, ${d} channels, seed ${p.seed}`,
        );
      }
      if (classesOnly)
        check(
          sg[L.loglik] === 0 && sg[L.likeEdges] === 0,
          `classes-only statistics carry loglik ${sg[L.loglik]} and like edges ${sg[L.likeEdges]} (want 0); K = ${k}, ${d} channels, seed ${p.seed}`,
        );
    }
  } finally {
    g.dispose();
    c.dispose();
  }
}
