// The k-means start of the Potts chain (kmeansStart): 3×3 smoothing of the features, best of R
// k-means++ restarts by inertia, and that segmentMrf reports the labels its chain started from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grainMap } from '../../../src/data/synth/grains.js';
import { CpuMrfBackend } from '../../../src/methods/mrf/cpu.js';
import { kmeansStart, lloyd, restartStream, smoothFeatures } from '../../../src/methods/mrf/kmeans.js';
import { adjustedRandIndex, segmentMrf } from '../../../src/methods/mrf/index.js';
import { cpuEngine, type Engine } from '../../../src/engine/index.js';
import { GpuMrfBackend } from '../../../src/methods/mrf/gpu.js';
import { openTestEngine } from '../../gpu-engine.js';

const lattice = (ny: number, nx: number) => ({ ny, nx, neighbours: 4, periodic: false }) as const;

describe('smoothFeatures', () => {
  it('averages each pixel over the selected pixels of its 3×3 neighbourhood, itself included', () => {
    // 3×3 image, 2 channels: channel 0 = pixel index, channel 1 = 10 × index; pixel 4 (centre) masked.
    const data = Float32Array.from({ length: 18 }, (_, i) => (i % 2 === 0 ? i / 2 : 5 * i - 5));
    const valid = Uint8Array.of(1, 1, 1, 1, 0, 1, 1, 1, 1);
    const s = smoothFeatures({ data, ny: 3, nx: 3, channels: 2 }, valid);
    expect(s.data[0]).toBeCloseTo((0 + 1 + 3) / 3, 6); // corner: itself, right, below (centre masked)
    expect(s.data[1]).toBeCloseTo((0 + 10 + 30) / 3, 5);
    expect(s.data[2 * 1]).toBeCloseTo((0 + 1 + 2 + 3 + 5) / 5, 6); // top edge: 5 of 6, centre masked
    expect(s.data[2 * 4]).toBe(0); // a masked pixel is not computed
    const all = smoothFeatures({ data, ny: 3, nx: 3, channels: 2 }, null);
    expect(all.data[2 * 4]).toBeCloseTo(4, 6); // centre without a mask: mean of 0..8
  });
});

describe('kmeansStart (CPU reference)', () => {
  const g = grainMap({ ny: 32, nx: 32, seed: 5, noise: 0.9 });
  const lat = lattice(32, 32);

  it('one restart on the features is plain k-means from stream 1 (the start before restarts existed)', async () => {
    const a = new CpuMrfBackend(g.image, 4, lat, 3, 0);
    const b = new CpuMrfBackend(g.image, 4, lat, 3, 0);
    const s = await kmeansStart(null, a, g.image, 4, lat, 3, {
      restarts: 1,
      smoothed: false,
      maxIter: 100,
      varFloor: 1e-9,
      valid: null,
    });
    const l = await lloyd(b, g.image, 4, 3, 100, 1e-9);
    expect(restartStream(0)).toBe(1);
    expect(s.inertia).toBe(l.inertia);
    expect(await a.labels()).toEqual(await b.labels());
  });

  it('R restarts keep the labels, means and variances of the lowest-inertia run', async () => {
    const runs = [];
    for (let r = 0; r < 5; r++) {
      const b = new CpuMrfBackend(g.image, 4, lat, 11, 0);
      runs.push({
        out: await lloyd(b, g.image, 4, 11, 100, 1e-9, 1e-6, undefined, null, restartStream(r)),
        labels: await b.labels(),
      });
    }
    const inertias = runs.map((r) => r.out.inertia);
    expect(new Set(inertias).size, `inertias ${inertias}`).toBeGreaterThan(1); // the restarts do differ
    const best = runs[inertias.indexOf(Math.min(...inertias))]!;
    const a = new CpuMrfBackend(g.image, 4, lat, 11, 0);
    const s = await kmeansStart(null, a, g.image, 4, lat, 11, {
      restarts: 5,
      smoothed: false,
      maxIter: 100,
      varFloor: 1e-9,
      valid: null,
    });
    expect(s.inertia).toBe(Math.min(...inertias));
    expect(await a.labels()).toEqual(best.labels);
    expect(s.means).toEqual(best.out.means);
    expect(s.variances).toEqual(best.out.variances);
  });

  it("smoothed: the labels are k-means on the smoothed features; the means and variances are those labels' on the features", async () => {
    const sm = smoothFeatures(g.image, null);
    const ref = new CpuMrfBackend(sm, 4, lat, 2, 0);
    const l = await lloyd(ref, sm, 4, 2, 100, 1e-9);
    const labels = await ref.labels();
    const a = new CpuMrfBackend(g.image, 4, lat, 2, 0);
    const s = await kmeansStart(null, a, g.image, 4, lat, 2, {
      restarts: 1,
      smoothed: true,
      maxIter: 100,
      varFloor: 1e-9,
      valid: null,
    });
    expect(await a.labels()).toEqual(labels);
    expect(s.inertia).toBe(l.inertia);
    const d = g.image.channels;
    for (let c = 0; c < 4; c++) {
      let n = 0;
      const mean = new Float64Array(d);
      for (let p = 0; p < labels.length; p++) {
        if (labels[p] !== c) continue;
        n++;
        for (let j = 0; j < d; j++) mean[j]! += g.image.data[p * d + j]!;
      }
      let ss = 0;
      for (let p = 0; p < labels.length; p++)
        if (labels[p] === c) for (let j = 0; j < d; j++) ss += (g.image.data[p * d + j]! - mean[j]! / n) ** 2;
      for (let j = 0; j < d; j++) expect(s.means[c * d + j]).toBeCloseTo(mean[j]! / n, 9);
      expect(s.variances[c]).toBeCloseTo(ss / (n * d), 9);
    }
  });
});

describe('kmeansStart on WebGPU', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());

  // Restarts that converge to the same partition under permuted labels have inertias equal up to
  // rounding, so float32 and float64 may keep different ones of them: the same partition with other
  // label numbers (seen on seed 3). So the labels are compared as partitions (ARI).
  it('reaches the partition and inertia of the float64 reference (smoothed, 4 restarts, with a pixel mask)', async () => {
    for (const seed of [1, 2, 3]) {
      const g = grainMap({ ny: 40, nx: 36, seed });
      const lat = lattice(40, 36);
      const valid = Uint8Array.from({ length: 40 * 36 }, (_, p) => (p % 36 === 7 || p % 53 === 0 ? 0 : 1));
      const o = { restarts: 4, smoothed: true, maxIter: 100, varFloor: 1e-9, valid };
      const cpu = new CpuMrfBackend(g.image, 4, lat, seed, 0, valid);
      const gpu = new GpuMrfBackend(engine.gpu!, g.image, 4, lat, seed, 0, valid);
      try {
        const a = await kmeansStart(null, cpu, g.image, 4, lat, seed, o);
        const b = await kmeansStart(engine, gpu, g.image, 4, lat, seed, o);
        expect(b.inertia / a.inertia, `seed ${seed}`).toBeCloseTo(1, 5);
        const keep = (l: Uint32Array) => Array.from(l).filter((_, p) => valid[p]);
        const ga = keep(await gpu.labels());
        const ca = keep(await cpu.labels());
        expect(ga.length).toBe(ca.length);
        expect(adjustedRandIndex(ga, ca), `seed ${seed}`).toBeGreaterThanOrEqual(0.999);
        expect(Array.from(await gpu.labels()).filter((z, p) => !valid[p] && z !== 4).length, `seed ${seed}`).toBe(0);
        expect(
          b.variances.reduce((u, v) => u + v, 0) / a.variances.reduce((u, v) => u + v, 0),
          `seed ${seed}`,
        ).toBeCloseTo(1, 4);
      } finally {
        gpu.dispose();
      }
    }
  });
});

describe('segmentMrf start options', () => {
  const g = grainMap({ ny: 24, nx: 24, seed: 8 });
  const short = { k: 4, burnIn: 10, samples: 5, anneal: 5, seed: 4 } as const;

  it('kmeansLabels are the labels the chain started from, for each init and restart count', async () => {
    const lat = lattice(24, 24);
    for (const [init, restarts] of [
      ['kmeans', 1],
      ['kmeans', 3],
      ['kmeans-smoothed', 1],
      ['kmeans-smoothed', 3],
    ] as const) {
      const r = await segmentMrf(cpuEngine(), g.image, { ...short, init, kmeansRestarts: restarts });
      const b = new CpuMrfBackend(g.image, 4, lat, 4, 0);
      await kmeansStart(null, b, g.image, 4, lat, 4, {
        restarts,
        smoothed: init === 'kmeans-smoothed',
        maxIter: 100,
        varFloor: 1e-12,
        valid: null,
      });
      expect(Array.from(r.kmeansLabels), `${init}, ${restarts} restarts`).toEqual(Array.from(await b.labels()));
      expect(r.options.init).toBe(init);
      expect(r.options.kmeansRestarts).toBe(restarts);
    }
  });

  it('refuses a bad init or restart count in one line naming the option', async () => {
    await expect(segmentMrf(cpuEngine(), g.image, { ...short, init: 'random' as 'kmeans' })).rejects.toThrow(
      "init must be kmeans or kmeans-smoothed, not 'random'",
    );
    await expect(segmentMrf(cpuEngine(), g.image, { ...short, kmeansRestarts: 0 })).rejects.toThrow(
      'kmeansRestarts must be an integer >= 1, not 0',
    );
    await expect(segmentMrf(cpuEngine(), g.image, { ...short, kmeansRestarts: 2.5 })).rejects.toThrow(
      'kmeansRestarts must be an integer, not 2.5',
    );
  });
});
