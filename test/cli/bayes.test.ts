// `specmap bayes`: bad input is one line and exit 2 (nothing written), and a small run writes the
// documented files with their shapes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/io/npy.js';
import { axis, randomPeaks, synthSpectra } from '../../src/methods/bayes/synth.js';
import { PhiloxStream } from '../../src/random/index.js';
import { runCli, tempDir, writeNpy } from './run-cli.js';

const dir = tempDir('specmap-bayes-');
const seed = Math.floor(Math.random() * 2 ** 32);
const img = synthSpectra(
  axis(41, 0, 3),
  [randomPeaks(new PhiloxStream(seed, 1), 1, 0, 20), randomPeaks(new PhiloxStream(seed, 2), 2, 3, 20)],
  seed,
);
const good = writeNpy(join(dir, 'good.npy'), img.data, [2, 41]);
const bad = img.data.slice();
bad[41 + 5] = NaN;
const nan = writeNpy(join(dir, 'nan.npy'), bad, [2, 41]);
const short = writeNpy(join(dir, 'short.npy'), img.data.slice(0, 10), [1, 10]);
const quick = ['--backend', 'cpu', '--burn-in', '20', '--sweeps', '20', '--samples', '10', '--replicas', '8'];

describe('specmap bayes: bad input, one line each, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['kmax 0', [good, '--kmax', '0'], /--kmax must be an integer >= 1 and <= 8, not 0/],
    ['kmax 9', [good, '--kmax', '9'], /--kmax must be an integer >= 1 and <= 8, not 9/],
    ['kmax not a number', [good, '--kmax', 'four'], /--kmax must be an integer, not 'four'/],
    ['non-finite value', [nan, '--kmax', '2'], /spectrum 1 channel 5 is NaN/],
    ['too few channels', [short, '--kmax', '4'], /10 channels are too few for kmax = 4/],
    ['invalid prior', [good, '--b-rate', '-1'], /--b-rate must be > 0, not -1/],
    ['no file', [], /give the spectra file/],
  ];
  for (const [what, args, want] of cases)
    it(what, async () => {
      const out = join(dir, `out-${what.replace(/\W/g, '_')}`);
      const r = await runCli(['bayes', ...args, ...quick, '--out', out]);
      expect(r.code, r.err.join('\n')).toBe(2);
      expect(r.err.length).toBe(1);
      expect(r.err[0]).toMatch(want);
      expect(existsSync(out) && readdirSync(out).length > 0).toBe(false);
    });
});

it(`specmap bayes writes k_selected, noise, free_energy [spectra, kmax], p_k and summary.json (seed ${seed})`, async () => {
  const out = join(dir, 'result');
  const r = await runCli(['bayes', good, '--kmax', '2', ...quick, '--seed', String(seed), '--out', out]);
  expect(r.code, r.err.join('\n')).toBe(0);
  const shape = (name: string) => parseNpy(readFileSync(join(out, `${name}.npy`)), name).shape;
  expect(shape('k_selected')).toEqual([1, 2]);
  expect(shape('noise')).toEqual([1, 2]);
  expect(shape('free_energy')).toEqual([2, 2]);
  expect(shape('p_k')).toEqual([2, 2]);
  expect(shape('peak1_position_mean')).toEqual([1, 2]);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  expect(summary.spectra.length).toBe(2);
  expect(summary.spectra[0].freeEnergy.length).toBe(2);
  expect(r.out).toMatch(/2 spectra in/);
}, 120_000);
