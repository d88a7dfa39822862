// `specmap nmf --pixel-mask` as fit and segment have it: NaN pixels refused without a mask with the
// same pointer to --pixel-mask; with one, the left-out pixels counted on stdout, in summary.json and
// in the report; and the chain nmf → segment pixel_loadings.npy --pixel-mask (the same mask) runs,
// with label -1 where nmf left NaN loadings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grainMap } from '../../src/data/synth/grains.js';
import { errors, readNpy, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 8;
const NX = 9;
const C = 12;
const dir = tempDir('specmap-nmf-mask-');
const g = grainMap({ ny: NY, nx: NX, k: 2, channels: C, cells: 4, noise: 0.05, seed: 7 });
// A dead column (4) and one NaN hole; the data made non-negative for NMF.
const masked = (p: number) => p % NX === 4 || p === 2 * NX + 1;
const data = Float32Array.from(g.image.data, (v) => Math.abs(v) + 0.1);
for (let p = 0; p < NY * NX; p++) if (masked(p)) data.fill(NaN, p * C, (p + 1) * C);
const file = writeNpy(join(dir, 'holes.npy'), data, [NY, NX, C]);
const maskFile = writeNpy(
  join(dir, 'mask.npy'),
  Uint8Array.from({ length: NY * NX }, (_, p) => (masked(p) ? 0 : 1)),
  [NY, NX],
);
const nMasked = NY + 1;

describe('specmap nmf --pixel-mask', () => {
  it('without a mask, a NaN pixel is refused in one line that points at --pixel-mask (as segment and fit do)', async () => {
    const r = await runCli(['nmf', file, '-k', '2', '--out', join(dir, 'never'), '--backend', 'cpu', '-q']);
    expect(r.code).toBe(2);
    const e = errors(r);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(
      /^specmap: .*holes\.npy: pixel \(0, 4\) channel 0 is NaN \(\d+ non-finite values in all; --pixel-mask FILE leaves dead pixels out\)$/,
    );
  });

  it('with it, the left-out pixels are counted (stdout, summary.json, report); segment on its pixel_loadings with the same mask labels them -1', async () => {
    const out = join(dir, 'nmf');
    // hals stops by scikit-learn's 'cd' rule, which this small map meets after 200 iterations: a larger cap keeps stderr empty.
    const r = await runCli([
      'nmf',
      file,
      '-k',
      '2',
      '--max-iter',
      '2000',
      '--pixel-mask',
      maskFile,
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(errors(r), r.err.join('\n')).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${nMasked} pixel(s) left out by --pixel-mask: not factorised (loadings and residual NaN)`);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).masked).toBe(nMasked);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(`${nMasked} pixel(s) left out by the pixel mask`);
    const feats = readNpy(join(out, 'pixel_loadings.npy')).data;
    for (let p = 0; p < NY * NX; p++) expect(Number.isNaN(feats[p * 2]!), `pixel ${p}`).toBe(masked(p));

    const seg = join(dir, 'seg');
    const s = await runCli([
      'segment',
      join(out, 'pixel_loadings.npy'),
      '-k',
      '2',
      '--burn-in',
      '20',
      '--samples',
      '20',
      '--anneal',
      '10',
      '--pixel-mask',
      maskFile,
      '--out',
      seg,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(errors(s), s.err.join('\n')).toEqual([]);
    expect(s.code).toBe(0);
    const labels = readNpy(join(seg, 'labels.npy')).data;
    for (let p = 0; p < NY * NX; p++) expect(labels[p]! === -1, `pixel ${p}`).toBe(masked(p));
  });
});
