// Fits without information are refused in one line, exit 2, with nothing written: fewer channels
// than free parameters, spectra that are all flat, two peaks fixed at one position, and a
// constant map given to segment.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSpectrumImage } from '../../src/data/types.js';
import { openEngine } from '../../src/engine/index.js';
import { freeParameters, resolvePeaks } from '../../src/methods/peaks/model.js';
import { fitPeaks } from '../../src/methods/peaks/index.js';
import { errors, runCli, tempDir, writeNpy } from './run-cli.js';

/** A [4, 4, C] map with one Gaussian peak on a flat offset (or all `flat` counts when given). */
function map(C: number, flat?: number): Float32Array {
  const data = new Float32Array(16 * C);
  for (let p = 0; p < 16; p++)
    for (let n = 0; n < C; n++)
      data[p * C + n] = flat ?? Math.round(20 + 500 * Math.exp(-0.5 * ((n - C / 2) / (C / 10)) ** 2));
  return data;
}

describe('fits without information are refused', () => {
  it('fewer channels than free parameters: library and CLI name the counts', async () => {
    const dir = tempDir();
    const file = writeNpy(join(dir, 'three.npy'), map(3), [4, 4, 3]);
    const out = join(dir, 'out');
    const r = await runCli(['fit', file, '--peaks', '1,2', '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(errors(r)).toHaveLength(1);
    // 2 positions + 2 widths + (2 peaks + 2 ramps - 1) weights = 7.
    expect(errors(r)[0]).toMatch(/the spectra have 3 channels, not more than the model's 7 free parameters/);
    expect(existsSync(out)).toBe(false);
    expect(freeParameters([false, true], true, 1)).toBe(1 + 1 + 2 + 1 - 1);
    const energy = Float64Array.from({ length: 8 }, (_, n) => n);
    expect(() => resolvePeaks({ peaks: 2 }, energy)).not.toThrow();
    expect(() => resolvePeaks({ peaks: 3 }, energy)).toThrow(/8 channels, not more than the model's 10 free/);
  });

  it('every spectrum flat: refused naming a pixel; one flat pixel among others is fitted', async () => {
    const dir = tempDir();
    const file = writeNpy(join(dir, 'flat.npy'), map(40, 7), [4, 4, 40]);
    const r = await runCli(['fit', file, '--peaks', 'auto:1', '--out', join(dir, 'out'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]).toMatch(
      /every spectrum with counts is flat .*holds 7 throughout\): there are no peaks to fit$/,
    );
    const mixed = map(40);
    mixed.fill(7, 0, 40);
    const cpu = await openEngine({ backend: 'cpu', log: () => undefined });
    const energy = Float64Array.from({ length: 40 }, (_, n) => n);
    const res = await fitPeaks(cpu, makeSpectrumImage(mixed, 4, 4, 40, energy), { peaks: 1 });
    cpu.close();
    expect(res.summary.pixels).toBe(16);
  });

  it('two peaks fixed at one position: refused naming both', async () => {
    const dir = tempDir();
    const file = writeNpy(join(dir, 'm.npy'), map(40), [4, 4, 40]);
    const r = await runCli(['fit', file, '--peaks', '20!,20!', '--out', join(dir, 'out'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(errors(r)).toEqual([
      "specmap: peaks 'p1' and 'p2' are both fixed at 20: the fit cannot tell them apart; give one peak there",
    ]);
    const ok = await runCli(['fit', file, '--peaks', '20!,21!', '--out', join(dir, 'out2'), '--backend', 'cpu']);
    expect(ok.code).toBe(0);
  });

  it('segment refuses a constant (all-zero, or all-equal) map instead of splitting it into classes', async () => {
    const dir = tempDir();
    for (const [name, v] of [
      ['zeros', 0],
      ['sevens', 7],
    ] as const) {
      const file = writeNpy(join(dir, `${name}.npy`), new Float32Array(8 * 8 * 3).fill(v), [8, 8, 3]);
      const out = join(dir, `seg-${name}`);
      const r = await runCli(['segment', file, '-k', '2', '--out', out, '--backend', 'cpu']);
      expect(r.code, name).toBe(2);
      expect(errors(r), name).toHaveLength(1);
      expect(errors(r)[0]).toMatch(
        /every pixel holds the same spectrum \(the map is constant\): there are no classes to find/,
      );
      expect(existsSync(out)).toBe(false);
    }
  });
});
