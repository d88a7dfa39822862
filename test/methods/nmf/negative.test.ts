// nmf's `negative` option (CLI --negative): noisy absorption data with values slightly below zero
// are refused with a line naming clip/shift and semi-NMF, or clipped/shifted with the count reported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { makeSpectrumImage } from '../../../src/data/types.js';
import { nmf } from '../../../src/methods/nmf/index.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { runCli, tempDir, writeNpy } from '../../cli/run-cli.js';

const cpu: Promise<Engine> = openEngine({ backend: 'cpu', log: () => undefined });

/** A rank-2 non-negative stack whose pre-edge channels sit at 0, plus Gaussian noise: some values dip below 0. */
function noisyStack(seed: number) {
  const ny = 6;
  const nx = 7;
  const C = 30;
  const rng = new PhiloxStream(seed, 0x4e47);
  const data = new Float32Array(ny * nx * C);
  for (let p = 0; p < ny * nx; p++) {
    const a = p / (ny * nx - 1);
    for (let c = 0; c < C; c++) {
      const s1 = c < 10 ? 0 : 1;
      const s2 = c < 12 ? 0 : 1 + 0.5 * Math.exp(-((c - 15) ** 2) / 4);
      data[p * C + c] = a * s1 + (1 - a) * s2 + 0.01 * rng.normal();
    }
  }
  let negatives = 0;
  let min = Infinity;
  for (const v of data) {
    if (v < 0) negatives++;
    min = Math.min(min, v);
  }
  return { img: makeSpectrumImage(data, ny, nx, C, undefined, { meta: { source: 'xanes.npy' } }), negatives, min };
}

describe('nmf negative values', () => {
  it('error (default): one line naming clip, shift and semi, with the count', async () => {
    const seed = (Date.now() % 100000) + 1;
    const { img, negatives } = noisyStack(seed);
    expect(negatives, `seed ${seed}`).toBeGreaterThan(0);
    const e = await nmf(await cpu, img, { k: 2 }).then(
      () => null,
      (x: unknown) => x as Error,
    );
    expect(e, `seed ${seed}`).not.toBeNull();
    const msg = e!.message;
    expect(msg).not.toContain('\n');
    expect(msg).toContain(`(${negatives} negative value`);
    expect(msg).toContain('slightly negative noise: --negative clip (set to 0) or --negative shift');
    expect(msg).toContain('difference data: --method semi (semi-NMF)');
  });

  it('clip sets the negatives to 0 and counts them; shift raises every value by -min', async () => {
    const seed = (Date.now() % 100000) + 2;
    const { img, negatives, min } = noisyStack(seed);
    const clip = await nmf(await cpu, img, { k: 2, negative: 'clip' });
    expect(clip.negative, `seed ${seed}`).toEqual({ mode: 'clip', negatives, changed: negatives, shift: 0 });
    expect(clip.relativeError, `seed ${seed}`).toBeLessThan(0.05);
    const shift = await nmf(await cpu, img, { k: 2, negative: 'shift' });
    expect(shift.negative?.mode).toBe('shift');
    expect(shift.negative?.negatives).toBe(negatives);
    expect(shift.negative?.changed).toBe(img.data.length);
    expect(shift.negative?.shift).toBeCloseTo(-min, 6);
    // The shifted matrix is still fitted: its factors carry the offset, the error stays at the noise.
    expect(shift.relativeError, `seed ${seed}`).toBeLessThan(0.05);
    // Non-negative data are left alone whatever the option.
    const clean = makeSpectrumImage(Float32Array.from(img.data, Math.abs), 6, 7, 30);
    expect((await nmf(await cpu, clean, { k: 2, negative: 'shift' })).negative).toBeUndefined();
  });

  it('a bad value is one line', async () => {
    const { img } = noisyStack(3);
    await expect(nmf(await cpu, img, { k: 2, negative: 'abs' as never })).rejects.toThrow(
      "negative must be error, clip or shift, not 'abs'",
    );
  });

  it('CLI: --negative clip writes the count to summary.json and the output', async () => {
    const dir = tempDir();
    const { img, negatives } = noisyStack(11);
    const path = writeNpy(join(dir, 'xanes.npy'), img.data, [6, 7, 30]);
    const refused = await runCli(['nmf', path, '-k', '2', '--out', join(dir, 'a'), '--backend', 'cpu', '-q']);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain('--negative clip');
    const out = join(dir, 'b');
    const r = await runCli(['nmf', path, '-k', '2', '--negative', 'clip', '--out', out, '--backend', 'cpu', '-q']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`--negative clip: ${negatives} negative values set to 0`);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.negative).toEqual({ mode: 'clip', negatives, changed: negatives, shift: 0 });
    const bad = await runCli([
      'nmf',
      path,
      '-k',
      '2',
      '--negative',
      'abs',
      '--out',
      join(dir, 'c'),
      '--backend',
      'cpu',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toHaveLength(1);
  });
});
