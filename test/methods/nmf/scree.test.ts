// Choosing k: the PCA scree (explained variance per component, elbow) on the GPU and the CPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { electrodeStack } from '../../../src/data/synth/electrode.js';
import { scree } from '../../../src/methods/nmf/index.js';
import { elbowOf } from '../../../src/methods/nmf/scree.js';
import { jacobiEigen, leadingEigen } from '../../../src/methods/nmf/linalg.js';
import { openTestEngine } from '../../gpu-engine.js';

let gpu: Engine;
beforeAll(async () => {
  gpu = await openTestEngine();
});
afterAll(() => gpu?.close());

describe('scree', () => {
  it('finds the elbow at the true number of phases, the same on GPU and CPU', async () => {
    for (const k of [3, 4]) {
      const { image } = electrodeStack({ ny: 24, nx: 24, channels: 90, k, noise: 0.003, seed: k });
      const g = await scree(gpu, image, { components: 12 });
      const c = await scree(await openEngine({ backend: 'cpu', log: () => undefined }), image, { components: 12 });
      // PCA centres the data; the particles' thickness varies, so all k phases carry variance.
      expect(g.cumulative[k - 1]).toBeGreaterThan(0.995);
      expect(g.explained[k]).toBeLessThan(0.002);
      expect(g.elbow).toBe(c.elbow);
      for (let i = 0; i < k; i++) expect(Math.abs(g.explained[i]! - c.explained[i]!)).toBeLessThan(1e-4);
      expect(g.elbow).toBe(k);
    }
  });

  it('elbow: the largest drop on a log scale', () => {
    expect(elbowOf([0.6, 0.3, 0.08, 0.01, 0.005, 0.004, 0.003, 0.002])).toBe(3);
    expect(elbowOf([0.9, 0.001, 0.0009])).toBe(1);
    expect(elbowOf([1])).toBe(1);
  });

  it('leading eigenpairs by subspace iteration match Jacobi on a random SPD matrix', () => {
    const m = 90;
    const B = Float64Array.from({ length: m * 8 }, () => Math.random() - 0.5);
    const G = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
      let s = a === b ? 1e-3 : 0;
      for (let j = 0; j < 8; j++) s += B[a * 8 + j]! * B[b * 8 + j]! * (j + 1);
      G[a * m + b] = s;
    }
    const full = jacobiEigen(G, m);
    const lead = leadingEigen(G, m, 5);
    for (let j = 0; j < 5; j++) expect(lead.values[j]! / full.values[j]!).toBeCloseTo(1, 8);
    // eigenvector equation G v = λ v
    for (let j = 0; j < 5; j++) {
      let worst = 0;
      for (let r = 0; r < m; r++) {
        let gv = 0;
        for (let c = 0; c < m; c++) gv += G[r * m + c]! * lead.vectors[c * 5 + j]!;
        worst = Math.max(worst, Math.abs(gv - lead.values[j]! * lead.vectors[r * 5 + j]!));
      }
      expect(worst).toBeLessThan(1e-7 * lead.values[0]!);
    }
  });
});
