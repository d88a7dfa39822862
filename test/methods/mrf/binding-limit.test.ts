// The WebGPU backend keeps the features and the log-likelihood table each in one storage binding
// (no pixel blocks): a map over the limit is refused with one line before any GPU buffer is made.
// The limit is lowered through flags.maxChunkBytes (GpuEngine.maxBindingBytes is bounded by it).
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { grainMap } from '../../../src/data/synth/grains.js';
import { flags, type Engine } from '../../../src/engine/index.js';
import { segmentMrf } from '../../../src/methods/mrf/index.js';
import { errors, runCli, tempDir, writeNpy } from '../../cli/run-cli.js';
import { openTestEngine } from '../../gpu-engine.js';

const saved = flags.maxChunkBytes;
afterEach(() => {
  flags.maxChunkBytes = saved;
});

describe('mrf on WebGPU refuses a map whose feature table exceeds one binding', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());

  it('specmap segment: one line naming the map, the bytes, the limit and what to do; exit code 2', async () => {
    const dir = tempDir('specmap-segment-limit-');
    const g = grainMap({ ny: 32, nx: 40, k: 3, channels: 8, cells: 10, noise: 0.3, seed: 4 });
    const file = writeNpy(join(dir, 'grains.npy'), g.image.data, [32, 40, 8]);
    // Features: 1280 pixels × 8 float32 = 40 KiB; the table (k = 3 stored as 4) 20 KiB fits.
    flags.maxChunkBytes = 32 * 1024;
    const run = await runCli([
      'segment',
      file,
      '-k',
      '3',
      '--burn-in',
      '10',
      '--samples',
      '10',
      '--anneal',
      '0',
      '--out',
      join(dir, 'out'),
      '--backend',
      'webgpu',
    ]);
    expect(run.code).toBe(2);
    const lines = errors(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      "specmap: mrf: the 32×40 map's features (8 channels, stored as 8 float32 per pixel) need 40.0 KiB in one GPU binding, over this device's limit of 32.0 KiB: segment fewer channels (run 'specmap nmf' first and segment its pixel_loadings.npy), crop the map, or use --backend cpu",
    );
  });

  it('segmentMrf: the log-likelihood table over the limit names k and suggests fewer classes', async () => {
    const data = Float32Array.from({ length: 20 * 30 * 3 }, (_, i) => (i * 7919) % 13);
    // Features 600 × 4 float32 = 9.4 KiB fit 12 KiB; the table (k = 5 stored as 8) 18.8 KiB does not.
    flags.maxChunkBytes = 12 * 1024;
    await expect(
      segmentMrf(engine, { data, ny: 20, nx: 30, channels: 3 }, { k: 5, beta: 0.5, burnIn: 2, samples: 2, anneal: 0 }),
    ).rejects.toThrow(
      "mrf: the 20×30 map's log-likelihood table (k = 5, stored as 8 float32 per pixel) needs 18.8 KiB in one GPU binding, over this device's limit of 12.0 KiB: use fewer classes, crop the map, or use --backend cpu",
    );
    // The same map under the default limit runs on the GPU.
    flags.maxChunkBytes = saved;
    const r = await segmentMrf(
      engine,
      { data, ny: 20, nx: 30, channels: 3 },
      { k: 5, beta: 0.5, burnIn: 2, samples: 2, anneal: 0 },
    );
    expect(r.backend).toBe('webgpu');
  });
});
