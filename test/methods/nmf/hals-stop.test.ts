// hals stops as scikit-learn's 'cd' does: after the first iteration whose projected-gradient
// violation (W and H sweeps) is at most tol × the first iteration's. Checked against sklearn's own
// n_iter_ on a fixed matrix where /usr/bin/python3 has scikit-learn (the peer the docs compare with),
// and the GPU's violation against the CPU reference's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { electrodeStack } from '../../../src/data/synth/electrode.js';
import { nmf } from '../../../src/methods/nmf/index.js';
import { openTestEngine } from '../../gpu-engine.js';
import { tempDir, writeNpy } from '../../cli/run-cli.js';

const PY = '/usr/bin/python3';
const hasSklearn = existsSync(PY) && spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;

let gpu: Engine;
beforeAll(async () => {
  gpu = await openTestEngine();
});
afterAll(() => gpu?.close());

const d = electrodeStack({ ny: 24, nx: 24, channels: 60, k: 3, noise: 0.01, seed: 21 });

describe("hals stopping rule (scikit-learn 'cd')", () => {
  it.runIf(hasSklearn)('stops at the iteration scikit-learn stops at (tol 1e-4 and 1e-3, k 3 and 4)', async () => {
    const cpu = await openEngine({ backend: 'cpu', log: () => undefined });
    const path = writeNpy(join(tempDir(), 'x.npy'), d.image.data, [24 * 24, 60]);
    for (const [k, tol] of [
      [3, 1e-4],
      [4, 1e-3],
    ] as const) {
      const py = spawnSync(PY, ['bench/peers/nmf_sklearn.py', path, String(k), '1000', 'cd', `--tol=${tol}`], {
        encoding: 'utf8',
      });
      const sk = JSON.parse(py.stdout).solvers.cd;
      const r = await nmf(cpu, d.image, { k, method: 'hals', tol, maxIterations: 1000 });
      // float32 (sklearn) vs float64 (here) can move the crossing of tol by an iteration or two.
      expect(
        Math.abs(r.iterations - sk.n_iter),
        `k ${k}, tol ${tol}: specmap ${r.iterations}, sklearn ${sk.n_iter}`,
      ).toBeLessThanOrEqual(Math.max(2, 0.05 * sk.n_iter));
      expect(r.converged).toBe(true);
      expect(Math.abs(r.relativeError - sk.relative_error) / sk.relative_error).toBeLessThan(1e-3);
    }
  });

  it('the WebGPU path stops within an iteration or two of the CPU reference', async () => {
    const cpu = await openEngine({ backend: 'cpu', log: () => undefined });
    const c = await nmf(cpu, d.image, { k: 3, method: 'hals', tol: 1e-3 });
    const g = await nmf(gpu, d.image, { k: 3, method: 'hals', tol: 1e-3 });
    expect(g.backend).toBe('webgpu');
    expect(Math.abs(g.iterations - c.iterations), `GPU ${g.iterations}, CPU ${c.iterations}`).toBeLessThanOrEqual(2);
    // The loss curve still has a point every 10 iterations and one at the stop.
    expect(c.lossIterations[1]).toBe(10);
    expect(c.lossIterations[c.lossIterations.length - 1]).toBe(c.iterations);
  });
});
