// kmeans() makes its backend for k-means only (purpose 'kmeans'): no per-pixel log-likelihood
// table, likelihood weights or label counts are allocated, so a map whose table would exceed one
// storage binding (lowered here through flags.maxChunkBytes) still runs k-means on the GPU, while
// segmentMrf on it is refused as before. Sweep-only methods on such a backend throw.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { grainMap } from '../../../src/data/synth/grains.js';
import { InputError } from '../../../src/engine/errors.js';
import { flags, type Engine } from '../../../src/engine/index.js';
import { NO_ANNEAL, NO_COUNTS, type MrfBackend } from '../../../src/methods/mrf/backend.js';
import { CpuMrfBackend } from '../../../src/methods/mrf/cpu.js';
import { GpuMrfBackend } from '../../../src/methods/mrf/gpu.js';
import { kmeans, lloyd } from '../../../src/methods/mrf/kmeans.js';
import { segmentMrf } from '../../../src/methods/mrf/index.js';
import { makeBackend } from '../../../src/methods/mrf/select.js';
import { openTestEngine } from '../../gpu-engine.js';

const saved = flags.maxChunkBytes;
afterEach(() => {
  flags.maxChunkBytes = saved;
  vi.restoreAllMocks();
});

// 32×40 pixels, 4 channels (one vec4), k = 5 (tables stored as 8 classes): features 1280 × 16 B =
// 20 KiB fit a 32 KiB binding; the log-likelihood table 1280 × 32 B = 40 KiB does not.
const K = 5;
const g = grainMap({ ny: 32, nx: 40, k: K, channels: 4, cells: 12, noise: 0.05, seed: 6 });
const lat = { ny: 32, nx: 40, neighbours: 4 as const, periodic: false };
const FEATURE_BYTES = 32 * 40 * 16;
const TABLE_BYTES = 32 * 40 * 8 * 4;
const LIMIT = 32 * 1024;

describe('k-means on WebGPU without the Gibbs sweep buffers', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());

  it('kmeans() runs a map whose log-likelihood table exceeds one binding, with the labels of the full backend and the CPU reference; segmentMrf is refused', async () => {
    // Before: Lloyd iterations on the full backend under the default limit.
    const full = makeBackend(engine, g.image, K, lat, 1);
    let before: Uint32Array;
    try {
      await lloyd(full, g.image, K, 1, 300, 0, 1e-6);
      before = await full.labels();
    } finally {
      full.dispose();
    }
    const cpu = await kmeans(null, g.image, { k: K, seed: 1 });

    flags.maxChunkBytes = LIMIT;
    const storage = vi.spyOn(engine.gpu!, 'storage');
    const km = await kmeans(engine, g.image, { k: K, seed: 1 });
    const sizes = storage.mock.calls.map(([c]) => (typeof c === 'number' ? c : c.byteLength));
    // The largest buffer k-means asked for is its features; nothing the size of the table.
    expect(Math.max(...sizes)).toBe(FEATURE_BYTES);
    expect(sizes).not.toContain(TABLE_BYTES);

    expect(km.labels).toEqual(before);
    expect(km.labels).toEqual(cpu.labels);
    expect(new Set(km.labels).size).toBe(K);
    expect(km.iterations).toBe(cpu.iterations);
    for (let i = 0; i < km.means.length; i++) expect(km.means[i]).toBeCloseTo(cpu.means[i]!, 4);
    expect(km.inertia).toBeCloseTo(cpu.inertia, 2);

    const refused = segmentMrf(engine, g.image, { k: K, beta: 0.5, burnIn: 2, samples: 2, anneal: 0 });
    await expect(refused).rejects.toThrow(
      "mrf: the 32×40 map's log-likelihood table (k = 5, stored as 8 float32 per pixel) needs 40.0 KiB in one GPU binding, over this device's limit of 32.0 KiB: use fewer classes, crop the map, or use --backend cpu",
    );
    await expect(refused).rejects.toBeInstanceOf(InputError);
  });

  it('kmeans() still refuses features over the limit, with the one-line features message', async () => {
    flags.maxChunkBytes = 16 * 1024;
    await expect(kmeans(engine, g.image, { k: K, seed: 1 })).rejects.toThrow(
      "mrf: the 32×40 map's features (4 channels, stored as 4 float32 per pixel) need 20.0 KiB in one GPU binding, over this device's limit of 16.0 KiB: segment fewer channels (run 'specmap nmf' first and segment its pixel_loadings.npy), crop the map, or use --backend cpu",
    );
  });

  it('a k-means-only backend (WebGPU and CPU) does Lloyd steps and throws a plain Error for every sweep-only method', async () => {
    const backends: MrfBackend[] = [
      new GpuMrfBackend(engine.gpu!, g.image, K, lat, 1, 0, null, 'kmeans'),
      new CpuMrfBackend(g.image, K, lat, 1, 0, null, 'kmeans'),
    ];
    try {
      for (const b of backends) {
        expect(b.purpose).toBe('kmeans');
        const centres = Float64Array.from(g.spectra);
        b.assignNearest(centres);
        const stats = await b.stats(centres, true);
        expect(stats.length).toBe(K * (4 + 2) + 2);
        const misuse = /needs the Gibbs sweep buffers, but this backend was made for k-means only/;
        const calls: [string, () => unknown][] = [
          ['sweeps', () => b.sweeps({ from: 0, count: 1, beta: 0.5, countFrom: NO_COUNTS, ...NO_ANNEAL })],
          ['setClassParams', () => b.setClassParams(centres, new Float64Array(K).fill(1))],
          ['setZeroDataTerm', () => b.setZeroDataTerm()],
          ['resetCounts', () => b.resetCounts()],
        ];
        for (const [name, call] of calls) {
          let err: unknown;
          try {
            call();
          } catch (e) {
            err = e;
          }
          expect(err, name).toBeInstanceOf(Error);
          expect(err, name).not.toBeInstanceOf(InputError);
          expect((err as Error).message, name).toMatch(misuse);
          expect((err as Error).message, name).toContain(name);
        }
        await expect(b.counts()).rejects.toThrow(misuse);
        await expect(b.stats(centres)).rejects.toThrow(misuse);
      }
    } finally {
      for (const b of backends) b.dispose();
    }
  });
});
