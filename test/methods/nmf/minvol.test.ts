// Minimum-volume NMF against ground truth on synthetic XANES stacks whose component spectra
// correlate 0.75–0.95 pairwise (src/data/synth/xanes.ts), through the public nmf() on WebGPU:
// minvol recovers every component (worst one-to-one matched correlation) on fresh stacks, where
// plain HALS from the same start does not; closure makes the abundances sum to one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { xanesStack } from '../../../src/data/synth/xanes.js';
import { nmf } from '../../../src/methods/nmf/index.js';
import { matchComponents } from '../../../src/methods/nmf/accuracy.js';
import { logDetSpd } from '../../../src/methods/nmf/minvol.js';
import { openTestEngine } from '../../gpu-engine.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeNpy } from '../../cli/run-cli.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine();
});
afterAll(() => engine?.close());

const worst = (d: ReturnType<typeof xanesStack>, factors: Float32Array, k: number) =>
  Math.min(...matchComponents(d.spectra, d.k, factors, k, d.image.channels).correlation);

describe('minvol NMF on synthetic XANES stacks (spectra correlated 0.75-0.95, noise 1-3 %)', () => {
  it('recovers every component (worst matched correlation >= 0.88) on fresh stacks of 3, 4 and 5 components', async () => {
    const seed = (Date.now() % 100000) + 1;
    const rng = new PhiloxStream(seed, 0x3e17);
    for (const k of [3, 4, 5]) {
      const noise = 0.01 + 0.02 * rng.uniform();
      const d = xanesStack({ seed: seed + k, k, ny: 32, nx: 32, noise });
      const at = `k ${k}, noise ${noise.toFixed(3)}, seed ${seed + k}`;
      const r = await nmf(engine, d.image, { k, method: 'minvol', negative: 'clip', maxIterations: 500 });
      expect(r.backend).toBe('webgpu');
      expect(worst(d, r.factors.data, r.k), at).toBeGreaterThanOrEqual(0.88);
      // The volume costs some fit (1.1-2.1× plain HALS's relative error in the bench), not the fit itself.
      const h = await nmf(engine, d.image, { k, method: 'hals', negative: 'clip', maxIterations: 500 });
      expect(r.relativeError, at).toBeLessThan(2.5 * h.relativeError);
    }
  });

  it('fixed stack where plain NMF mixes the components: hals < 0.85, minvol > 0.95 (CPU reference)', async () => {
    // Seed 10, 4 components: measured hals 0.778, minvol 0.968 (docs/nmf.md).
    const cpu = await openEngine({ backend: 'cpu', log: () => undefined });
    const d = xanesStack({ seed: 10, k: 4, ny: 32, nx: 32, noise: 0.01 + 0.02 * ((10 * 0.618) % 1) });
    const h = await nmf(cpu, d.image, { k: 4, method: 'hals', negative: 'clip', maxIterations: 500 });
    const r = await nmf(cpu, d.image, { k: 4, method: 'minvol', negative: 'clip', maxIterations: 500 });
    expect(worst(d, h.factors.data, h.k)).toBeLessThan(0.85);
    expect(worst(d, r.factors.data, r.k)).toBeGreaterThan(0.95);
  });

  it('closure: abundances sum to one, components recovered', async () => {
    const seed = (Date.now() % 100000) + 5;
    const d = xanesStack({ seed, k: 3, ny: 24, nx: 24, noise: 0.015 });
    const r = await nmf(engine, d.image, {
      k: 3,
      method: 'minvol',
      closure: true,
      negative: 'clip',
      maxIterations: 500,
    });
    const npix = 24 * 24;
    let dev = 0;
    for (let p = 0; p < npix; p++) {
      let s = 0;
      for (let t = 0; t < 3; t++) s += r.loadings.data[p * 3 + t]!;
      dev += Math.abs(s - 1) / npix;
    }
    expect(dev, `seed ${seed}`).toBeLessThan(0.05);
    expect(worst(d, r.factors.data, r.k), `seed ${seed}`).toBeGreaterThanOrEqual(0.85);
  });

  it('the loss includes the volume and falls; bad minvol options are one line', async () => {
    const d = xanesStack({ seed: 3, k: 3, ny: 16, nx: 16, noise: 0.02 });
    const r = await nmf(engine, d.image, { k: 3, method: 'minvol', negative: 'shift', maxIterations: 60, tol: 0 });
    expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]!);
    await expect(nmf(engine, d.image, { k: 3, method: 'minvol', negative: 'clip', minvolDelta: 0 })).rejects.toThrow(
      'minvolDelta must be > 0, not 0',
    );
    await expect(
      nmf(engine, d.image, { k: 3, method: 'minvol', negative: 'clip', closure: 1 as never }),
    ).rejects.toThrow('closure must be true or false, not 1');
  });

  it('CLI: --method minvol --closure --negative clip writes the summary; minvol options need minvol', async () => {
    const dir = tempDir();
    const d = xanesStack({ seed: 4, k: 3, ny: 12, nx: 12, noise: 0.02 });
    const path = writeNpy(join(dir, 'x.npy'), d.image.data, [12, 12, 120]);
    const out = join(dir, 'out');
    const args = ['-k', '3', '--negative', 'clip', '--backend', 'cpu', '-q'];
    const r = await runCli([
      'nmf',
      path,
      '--method',
      'minvol',
      '--closure',
      '--minvol-lambda',
      '0.005',
      '--out',
      out,
      ...args,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/minvol\s+3\s+\d+/);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.method).toBe('minvol');
    expect(s.options.closure).toBe(true);
    const bad = await runCli(['nmf', path, '--closure', '--out', join(dir, 'b'), ...args]);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('--minvol-lambda, --minvol-delta and --closure need --method minvol');
    const zero = await runCli([
      'nmf',
      path,
      '--method',
      'minvol',
      '--minvol-delta',
      '0',
      '--out',
      join(dir, 'c'),
      ...args,
    ]);
    expect(zero.code).toBe(2);
    expect(zero.err.join('\n')).toContain('--minvol-delta must be > 0');
  });

  it('log det by Cholesky', () => {
    expect(logDetSpd(Float64Array.from([4, 2, 2, 3]), 2)).toBeCloseTo(Math.log(8), 12);
    expect(logDetSpd(Float64Array.from([1, 2, 2, 1]), 2)).toBe(-Infinity);
  });
});
