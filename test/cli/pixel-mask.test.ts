// The shared --pixel-mask reader (fit, nmf, segment, scree): a 2-D mask must be [ny, nx] (a
// transposed one has the right count and would mask the wrong pixels), NaN is refused; and
// `scree --pixel-mask` leaves dead pixels out exactly as dropping them from the data does.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grainMap } from '../../src/data/synth/grains.js';
import { errors, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 6;
const NX = 7;
const C = 10;
const dir = tempDir('specmap-pixel-mask-');
const g = grainMap({ ny: NY, nx: NX, k: 3, channels: C, cells: 4, noise: 0.05, seed: 3 });
const dead = (p: number) => p % NX === 2 || p === 4 * NX + 5;
const clean = Float32Array.from(g.image.data, (v) => Math.abs(v) + 0.1);
const holes = Float32Array.from(clean);
for (let p = 0; p < NY * NX; p++) if (dead(p)) holes.fill(NaN, p * C, (p + 1) * C);
const holesFile = writeNpy(join(dir, 'holes.npy'), holes, [NY, NX, C]);
const maskValues = Uint8Array.from({ length: NY * NX }, (_, p) => (dead(p) ? 0 : 1));
const mask = writeNpy(join(dir, 'mask.npy'), maskValues, [NY, NX]);
const flat = writeNpy(join(dir, 'flat.npy'), maskValues, [NY * NX]);
const transposed = writeNpy(
  join(dir, 'mask_T.npy'),
  Uint8Array.from({ length: NY * NX }, (_, i) => maskValues[(i % NY) * NX + Math.floor(i / NY)]!),
  [NX, NY],
);
const withNaN = writeNpy(
  join(dir, 'nan.npy'),
  Float32Array.from(maskValues, (v, p) => (p === 8 ? NaN : v)),
  [NY, NX],
);

describe('--pixel-mask: shape and values', () => {
  it('a transposed [nx, ny] mask is refused naming both shapes; a NaN in the mask is refused naming the pixel', async () => {
    for (const verb of [
      ['scree'],
      ['nmf', '-k', '2', '--out', join(dir, 'never')],
      ['segment', '-k', '2', '--out', join(dir, 'never2')],
    ]) {
      const t = await runCli([
        verb[0]!,
        holesFile,
        ...verb.slice(1),
        '--pixel-mask',
        transposed,
        '--backend',
        'cpu',
        '-q',
      ]);
      expect(t.code, verb[0]).toBe(2);
      expect(errors(t)).toEqual([
        `specmap: ${transposed}: the pixel mask has shape (${NX}, ${NY}) but the map is ${NY} × ${NX} pixels (transposed? save mask.T): give [ny, nx] or all ${NY * NX} pixels flat`,
      ]);
      const n = await runCli([
        verb[0]!,
        holesFile,
        ...verb.slice(1),
        '--pixel-mask',
        withNaN,
        '--backend',
        'cpu',
        '-q',
      ]);
      expect(errors(n)).toEqual([
        `specmap: ${withNaN}: the pixel mask holds NaN at pixel (1, 1): use 1 for pixels to analyse, 0 for those to leave out`,
      ]);
    }
  });

  it('scree --pixel-mask ([ny, nx] or flat) equals the scree of the spectra that are left; without it the NaN is refused pointing at --pixel-mask', async () => {
    const none = await runCli(['scree', holesFile, '--backend', 'cpu', '-q']);
    expect(none.code).toBe(2);
    expect(errors(none)[0]).toMatch(
      /holes\.npy: pixel \(0, 2\) channel 0 is NaN \(\d+ non-finite values in all; --pixel-mask FILE leaves dead pixels out\)$/,
    );
    const kept: number[] = [];
    for (let p = 0; p < NY * NX; p++) if (!dead(p)) for (let c = 0; c < C; c++) kept.push(clean[p * C + c]!);
    const list = writeNpy(join(dir, 'kept.npy'), Float32Array.from(kept), [kept.length / C, C]);
    const ref = await runCli(['scree', list, '--components', '5', '--backend', 'cpu', '-q']);
    expect(ref.code, ref.err.join('\n')).toBe(0);
    for (const m of [mask, flat]) {
      const r = await runCli(['scree', holesFile, '--components', '5', '--pixel-mask', m, '--backend', 'cpu', '-q']);
      expect(errors(r), r.err.join('\n')).toEqual([]);
      expect(r.out).toEqual(ref.out);
    }
  });
});
