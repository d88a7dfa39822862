// `specmap segment` when the pseudo-likelihood estimate of beta runs to its cap: on a map split
// cleanly in two (every pixel agrees with its neighbours' majority) the estimate keeps rising to
// BETA_MAX, which the table prints as if it were measured; the command says it is the cap and how to
// fix beta. A fixed --beta prints no such note.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BETA_MAX } from '../../src/methods/mrf/beta.js';
import { errors, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 10;
const NX = 12;
const C = 6;
const dir = tempDir('specmap-segment-beta-');
// Left half one spectrum, right half another, a little deterministic ripple.
const data = Float32Array.from({ length: NY * NX * C }, (_, i) => {
  const p = Math.floor(i / C);
  const c = i % C;
  const right = p % NX >= NX / 2;
  return (right ? (c < 3 ? 1 : 5) : c < 3 ? 5 : 1) + 0.05 * Math.sin(i * 1.7);
});
const file = writeNpy(join(dir, 'halves.npy'), data, [NY, NX, C]);
const quick = ['--burn-in', '30', '--samples', '20', '--anneal', '10', '--backend', 'cpu', '-q'];
const note = (out: string) => out.split('\n').filter((l) => /beta reached its cap/.test(l));

describe('specmap segment: the estimated beta at its cap', () => {
  it('is named as the cap, with --beta as the way to fix it', async () => {
    const r = await runCli(['segment', file, '-k', '2', ...quick, '--out', join(dir, 'est')]);
    expect(errors(r), r.err.join('\n')).toEqual([]);
    expect(r.code).toBe(0);
    expect(note(r.out)).toEqual([
      `beta reached its cap ${BETA_MAX}: the labels agree with their neighbours so well that the pseudo-likelihood is still rising there (a clean split, not a measured coupling); fix it with --beta B if the prior matters`,
    ]);
  });

  it('a fixed --beta gets no note', async () => {
    const r = await runCli(['segment', file, '-k', '2', ...quick, '--beta', '10', '--out', join(dir, 'fixed')]);
    expect(r.code).toBe(0);
    expect(note(r.out)).toEqual([]);
  });
});
