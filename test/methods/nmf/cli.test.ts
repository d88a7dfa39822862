// `specmap nmf` and `specmap scree` end to end: files written, summary printed, bad input = exit 2.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electrodeStack } from '../../../src/data/synth/electrode.js';
import { readNpy, runCli, tempDir, writeNpy } from '../../cli/run-cli.js';

function stackFile(): { path: string; dir: string } {
  const dir = tempDir();
  const d = electrodeStack({ ny: 20, nx: 20, channels: 40, k: 3, noise: 0.003, seed: 4 });
  return { path: writeNpy(join(dir, 'stack.npy'), d.image.data, [20, 20, 40]), dir };
}

describe('specmap nmf / scree', () => {
  it('nmf writes factors, loadings, residual, loss, summary and the report', async () => {
    const { path, dir } = stackFile();
    const out = join(dir, 'out');
    const r = await runCli([
      'nmf',
      path,
      '--e0',
      '700',
      '--de',
      '0.75',
      '-k',
      '3',
      '--method',
      'hals',
      '--out',
      out,
      '--backend',
      'webgpu',
      '-q',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^method\s+k\s+iterations/);
    expect(r.out).toMatch(/hals\s+3\s+\d+/);
    expect(readNpy(join(out, 'factors.npy')).shape).toEqual([3, 40]);
    expect(readNpy(join(out, 'loadings.npy')).shape).toEqual([3, 20, 20]);
    expect(readNpy(join(out, 'residual.npy')).shape).toEqual([20, 20]);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.k).toBe(3);
    expect(s.backend).toBe('webgpu');
    expect(s.relativeError).toBeLessThan(0.05);
    expect(readFileSync(join(out, 'factors.csv'), 'utf8').split('\n')[0]).toBe(
      'energy,component_1,component_2,component_3',
    );
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('Factors (component spectra)');
    expect(html).toContain('Loadings (abundance maps)');
    // Colour bars say what they measure; the loss curve has its own section on a log axis.
    expect(html).toContain('loading (× component spectrum)');
    expect(html).toContain('Convergence');
    expect(html).toContain('(log scale)');
    expect(existsSync(join(out, 'loss.csv'))).toBe(true);
    // The loadings pixel by pixel, [ny, nx, k], are what segment reads as features (docs/mrf.md).
    const maps = readNpy(join(out, 'loadings.npy'));
    const pix = readNpy(join(out, 'pixel_loadings.npy'));
    expect(pix.shape).toEqual([20, 20, 3]);
    for (const p of [0, 7, 399]) for (let t = 0; t < 3; t++) expect(pix.data[p * 3 + t]).toBe(maps.data[t * 400 + p]);
    const seg = await runCli([
      'segment',
      join(out, 'pixel_loadings.npy'),
      '-k',
      '3',
      '--out',
      join(dir, 'seg'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(seg.code, seg.err.join('\n')).toBe(0);
    expect(readNpy(join(dir, 'seg', 'labels.npy')).shape).toEqual([20, 20]);
  });

  it('--force never overwrites the input file, even when it sits in --out under an output name', async () => {
    const { dir } = stackFile();
    const d = electrodeStack({ ny: 20, nx: 20, channels: 40, k: 3, noise: 0.003, seed: 4 });
    const out = join(dir, 'out');
    mkdirSync(out);
    const input = writeNpy(join(out, 'loadings.npy'), d.image.data, [20, 20, 40]);
    const before = readFileSync(input);
    const r = await runCli(['nmf', input, '-k', '3', '--out', out, '--force', '--backend', 'cpu', '-q']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(
      `refusing to write ${input}: it is an input of this run; choose another --out folder`,
    );
    expect(readFileSync(input).equals(before)).toBe(true);
  });

  it('semi-NMF with a region reference on the CPU backend', async () => {
    const { path, dir } = stackFile();
    const out = join(dir, 'semi');
    const r = await runCli([
      'nmf',
      path,
      '-k',
      '3',
      '--method',
      'semi',
      '--reference',
      'region:0:5:0:5',
      '--max-iter',
      '40',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Reference spectrum');
  });

  it('NaN pixels are refused naming the first, unless --pixel-mask leaves them out (then NaN in the loadings)', async () => {
    const dir = tempDir();
    const d = electrodeStack({ ny: 20, nx: 20, channels: 40, k: 3, noise: 0.003, seed: 4 });
    const data = Float32Array.from(d.image.data);
    const dead = [3 * 20 + 7, 12 * 20 + 1];
    for (const p of dead) data.fill(NaN, p * 40, (p + 1) * 40);
    const path = writeNpy(join(dir, 'dead.npy'), data, [20, 20, 40]);
    const refused = await runCli(['nmf', path, '-k', '3', '--out', join(dir, 'refused'), '--backend', 'webgpu', '-q']);
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual([
      `specmap: ${path}: pixel (3, 7) channel 0 is NaN (80 non-finite values in all; --pixel-mask FILE leaves dead pixels out)`,
    ]);
    expect(existsSync(join(dir, 'refused'))).toBe(false);
    const mask = Uint8Array.from({ length: 400 }, (_, p) => (dead.includes(p) ? 0 : 1));
    const maskPath = writeNpy(join(dir, 'mask.npy'), mask, [20, 20]);
    const out = join(dir, 'masked');
    const r = await runCli([
      'nmf',
      path,
      '-k',
      '3',
      '--pixel-mask',
      maskPath,
      '--max-iter',
      '40',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    // No --method: the default is HALS (as scikit-learn's default solver 'cd').
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).method).toBe('hals');
    expect(r.code, r.err.join('\n')).toBe(0);
    const W = readNpy(join(out, 'loadings.npy')).data;
    for (let t = 0; t < 3; t++)
      for (let p = 0; p < 400; p++)
        expect(Number.isNaN(W[t * 400 + p]!), `component ${t} pixel ${p}`).toBe(dead.includes(p));
    // A mask that keeps one NaN pixel names it and counts only the selected values.
    const leaky = writeNpy(
      join(dir, 'leaky.npy'),
      Uint8Array.from({ length: 400 }, (_, p) => (p === dead[0] ? 0 : 1)),
      [20, 20],
    );
    const partly = await runCli([
      'nmf',
      path,
      '-k',
      '3',
      '--pixel-mask',
      leaky,
      '--out',
      join(dir, 'partly'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(partly.code).toBe(2);
    expect(partly.err).toEqual([
      `specmap: ${path}: pixel (12, 1) channel 0 is NaN (40 non-finite values in the selected pixels; --pixel-mask selects this pixel)`,
    ]);
    // The mask reader (src/cli/pixel-mask.ts, shared with fit) refuses another size or an empty selection naming the file.
    const wrong = writeNpy(join(dir, 'wrong.npy'), new Uint8Array(20 * 19).fill(1), [20, 19]);
    const bad = await runCli([
      'nmf',
      path,
      '-k',
      '3',
      '--pixel-mask',
      wrong,
      '--out',
      join(dir, 'wrong-out'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([`specmap: ${wrong}: the pixel mask has 380 values but the map has 20 × 20 pixels`]);
    const none = writeNpy(join(dir, 'none.npy'), new Uint8Array(400), [20, 20]);
    const nothing = await runCli([
      'nmf',
      path,
      '-k',
      '3',
      '--pixel-mask',
      none,
      '--out',
      join(dir, 'none-out'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toEqual([
      `specmap: ${none}: the pixel mask selects no pixel (all 400 values are 0): nothing to analyse`,
    ]);
    expect(existsSync(join(dir, 'wrong-out')) || existsSync(join(dir, 'none-out'))).toBe(false);
  });

  it('bad input exits 2 with one line', async () => {
    const { path, dir } = stackFile();
    const noK = await runCli(['nmf', path, '--out', join(dir, 'a'), '--backend', 'cpu', '-q']);
    expect(noK.code).toBe(2);
    expect(noK.err.join('\n')).toContain('-k N is required');
    const neg = await runCli([
      'nmf',
      path,
      '-k',
      '2',
      '--reference',
      'mean',
      '--out',
      join(dir, 'b'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(neg.code).toBe(2);
    expect(neg.err.join('\n')).toContain('--method semi (semi-NMF)');
    const badRegion = await runCli([
      'nmf',
      path,
      '-k',
      '2',
      '--method',
      'semi',
      '--reference',
      'region:0:50:0:5',
      '--out',
      join(dir, 'c'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(badRegion.code).toBe(2);
    expect(badRegion.err.join('\n')).toContain('must lie inside the 20 × 20 map');
  });

  it('scree prints the explained variance and suggests k', async () => {
    const { path, dir } = stackFile();
    // The stack's noise is shot-like (variance ∝ signal): --poisson makes it one variance, as the noise floor assumes.
    const r = await runCli([
      'scree',
      path,
      '--poisson',
      '--components',
      '6',
      '--out',
      join(dir, 'scree'),
      '--backend',
      'webgpu',
      '-q',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('suggested k = 3');
    const json = JSON.parse(readFileSync(join(dir, 'scree', 'scree.json'), 'utf8'));
    expect(json.explained).toHaveLength(6);
    expect(json.suggestedK).toBe(3);
  });
});
