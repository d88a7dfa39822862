// `specmap segment --pixel-mask FILE` on a small map with NaN holes and a dead column: refused
// without the mask (naming the first NaN, hinting at --pixel-mask), segmented with it (label -1,
// confidence NaN at the masked pixels), and a mask that keeps a NaN pixel names that pixel.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grainMap } from '../../src/data/synth/grains.js';
import { adjustedRandIndex } from '../../src/methods/mrf/index.js';
import { errors, readNpy, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 24;
const NX = 30;
const C = 8;
const dir = tempDir('specmap-segment-mask-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const g = grainMap({ ny: NY, nx: NX, k: 3, channels: C, cells: 8, noise: 0.3, seed: 5 });
// Dead column 11 and a few NaN holes (one pixel with a single NaN channel).
const holes = [2 * NX + 4, 9 * NX + 20, 15 * NX + 1, 20 * NX + 27, 23 * NX + 29];
const masked = (p: number) => p % NX === 11 || holes.includes(p);
const data = Float32Array.from(g.image.data);
for (let p = 0; p < NY * NX; p++) if (masked(p)) data.fill(NaN, p * C, (p + 1) * C);
data[holes[0]! * C + 3] = 1; // a hole with some finite channels is still masked as a whole
const file = writeNpy(join(dir, 'holes.npy'), data, [NY, NX, C]);
const maskFile = writeNpy(
  join(dir, 'mask.npy'),
  Uint8Array.from({ length: NY * NX }, (_, p) => (masked(p) ? 0 : 1)),
  [NY, NX],
);
const quick = ['--burn-in', '30', '--samples', '30', '--anneal', '20'];
const nMasked = NY + holes.length;

describe('specmap segment --pixel-mask', () => {
  it('without a mask, the first NaN is refused naming the file and pixel, pointing at --pixel-mask', async () => {
    const out = join(dir, 'never');
    const r = await runCli(['segment', file, '-k', '3', ...quick, '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(errors(r)).toEqual([
      `specmap: ${file}: pixel (0, 11) channel 0 is NaN (${nMasked * C - 1} non-finite values in all; --pixel-mask FILE leaves dead pixels out)`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it.each(['cpu', 'webgpu'])(
    'with it (--backend %s), masked pixels get label -1 and NaN confidence; the others are segmented (ARI > 0.9)',
    async (backend) => {
      const out = join(dir, `out-${backend}`);
      const r = await runCli([
        'segment',
        file,
        '-k',
        '3',
        ...quick,
        '--pixel-mask',
        maskFile,
        '--out',
        out,
        '--backend',
        backend,
      ]);
      expect(errors(r), r.err.join('\n')).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${nMasked} pixel(s) left out by --pixel-mask: not segmented (label -1, confidence NaN)`);
      const labels = readNpy(join(out, 'labels.npy'));
      expect(labels.data).toBeInstanceOf(Int32Array);
      const conf = readNpy(join(out, 'confidence.npy')).data;
      const km = readNpy(join(out, 'kmeans_labels.npy')).data;
      const probs = readNpy(join(out, 'probabilities.npy')).data;
      const kept: number[] = [];
      const truth: number[] = [];
      for (let p = 0; p < NY * NX; p++) {
        if (masked(p)) {
          expect(labels.data[p], `pixel ${p}`).toBe(-1);
          expect(km[p], `pixel ${p}`).toBe(-1);
          expect(conf[p], `pixel ${p}`).toBeNaN();
          expect(probs[p * 3], `pixel ${p}`).toBeNaN();
        } else {
          expect(labels.data[p], `pixel ${p}`).toBeGreaterThanOrEqual(0);
          expect(conf[p], `pixel ${p}`).toBeGreaterThan(0);
          kept.push(labels.data[p]!);
          truth.push(g.labels[p]!);
        }
      }
      expect(adjustedRandIndex(kept, truth)).toBeGreaterThan(0.9);
      const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(s.masked).toBe(nMasked);
      expect(s.classSizes.reduce((a: number, b: number) => a + b, 0)).toBe(NY * NX - nMasked);
      expect(Number.isFinite(s.meanConfidence)).toBe(true);
      expect(s.backend).toBe(backend);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(
        `${nMasked} of ${NY * NX} pixels left out by the pixel mask`,
      );
    },
  );

  it('a mask that keeps a NaN pixel names that pixel; a mask of another size names the mask file', async () => {
    const leaky = writeNpy(
      join(dir, 'leaky.npy'),
      Uint8Array.from({ length: NY * NX }, (_, p) => (masked(p) && p !== holes[1] ? 0 : 1)),
      [NY, NX],
    );
    const r = await runCli([
      'segment',
      file,
      '-k',
      '3',
      ...quick,
      '--pixel-mask',
      leaky,
      '--out',
      join(dir, 'never-leaky'),
      '--backend',
      'cpu',
    ]);
    expect(r.code).toBe(2);
    expect(errors(r)).toEqual([
      `specmap: ${file}: pixel (9, 20) channel 0 is NaN (${C} non-finite values in the selected pixels; --pixel-mask selects this pixel)`,
    ]);
    expect(existsSync(join(dir, 'never-leaky'))).toBe(false);
    const wrong = writeNpy(join(dir, 'wrong.npy'), new Uint8Array(NY * NX - 1).fill(1), [NY * NX - 1]);
    const w = await runCli([
      'segment',
      file,
      '-k',
      '3',
      '--pixel-mask',
      wrong,
      '--out',
      join(dir, 'never-wrong'),
      '--backend',
      'cpu',
    ]);
    expect(w.code).toBe(2);
    expect(errors(w)).toEqual([
      `specmap: ${wrong}: the pixel mask has ${NY * NX - 1} values but the map has ${NY} × ${NX} pixels`,
    ]);
  });
});
