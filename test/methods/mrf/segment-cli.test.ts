// `specmap segment` end to end (in-process), on the CPU reference and on WebGPU, and its errors.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grainMap } from '../../../src/data/synth/grains.js';
import { adjustedRandIndex } from '../../../src/methods/mrf/index.js';
import { errors, readNpy, runCli, tempDir, writeNpy } from '../../cli/run-cli.js';

const dir = tempDir('specmap-segment-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const g = grainMap({ ny: 32, nx: 40, k: 3, channels: 8, cells: 10, noise: 0.3, seed: 4 });
const file = writeNpy(join(dir, 'grains.npy'), g.image.data, [32, 40, 8]);
const quick = ['--burn-in', '30', '--samples', '30', '--anneal', '20'];

describe('specmap segment', () => {
  it.each([
    ['cpu', '4'],
    ['webgpu', '8'],
  ])(
    'writes labels, confidence, probabilities, class spectra and the report (--backend %s, %s neighbours)',
    async (backend, nb) => {
      const out = join(dir, `out-${backend}`);
      const run = await runCli([
        'segment',
        file,
        '-k',
        '3',
        '--neighbours',
        nb!,
        ...quick,
        '--out',
        out,
        '--backend',
        backend!,
      ]);
      expect(errors(run)).toEqual([]);
      expect(run.code).toBe(0);
      const labels = readNpy(join(out, 'labels.npy'));
      expect(labels.shape).toEqual([32, 40]);
      expect(adjustedRandIndex(Array.from(labels.data), g.labels)).toBeGreaterThan(0.9);
      expect(readNpy(join(out, 'confidence.npy')).shape).toEqual([32, 40]);
      expect(readNpy(join(out, 'probabilities.npy')).shape).toEqual([32, 40, 3]);
      expect(readNpy(join(out, 'class_means.npy')).shape).toEqual([3, 8]);
      for (const f of ['class_means.csv', 'kmeans_labels.npy', 'traces.csv', 'index.html'])
        expect(existsSync(join(out, f))).toBe(true);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.sweeps).toBe(80);
      expect(summary.backend).toBe(backend);
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).toContain('label map');
      // Each class has a colour swatch in the legend under the label map (and the k-means start).
      expect(html.match(/>class 0</g)?.length).toBeGreaterThanOrEqual(2);
    },
  );

  it.each([
    [['-k', '3', '--beta', '-1'], /--beta/],
    [['-k', '3', '--beta', '1', '--estimate-beta'], /either --beta B or --estimate-beta/],
    [['--beta', '1'], /-k N is required/],
    [['-k', '3', '--neighbours', '6'], /--neighbours must be 4 or 8/],
  ])('refuses %j with one line and exit code 2', async (extra, message) => {
    const run = await runCli(['segment', file, ...extra, '--out', join(dir, 'bad'), '--backend', 'cpu']);
    expect(run.code).toBe(2);
    expect(errors(run).join('\n')).toMatch(message);
  });
});
