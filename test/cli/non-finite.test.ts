// The same NaN file given to every verb that refuses non-finite data: each prints the same one
// line (file, count, pixel (y, x), channel, the --pixel-mask hint) and exits 2, with and without
// a --pixel-mask that leaves only some of the bad pixels out.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 4;
const NX = 5;
const C = 40;
const dir = tempDir('specmap-non-finite-');
const data = Float32Array.from({ length: NY * NX * C }, (_, i) => 5 + ((i * 7919) % 17));
data[(2 * NX + 3) * C + 7] = NaN; // the first in storage order: pixel (2, 3) channel 7
data[(3 * NX + 1) * C] = -Infinity; // pixel (3, 1) channel 0
const file = writeNpy(join(dir, 'bad.npy'), data, [NY, NX, C]);
// Leaves pixel (3, 1) out, keeps (2, 3).
const leaky = writeNpy(
  join(dir, 'leaky.npy'),
  Uint8Array.from({ length: NY * NX }, (_, p) => (p === 3 * NX + 1 ? 0 : 1)),
  [NY, NX],
);

const verbs: [string, string[]][] = [
  ['fit', ['--e0', '225', '--de', '0.05', '--peaks', '226']],
  ['nmf', ['-k', '2']],
  ['scree', []],
  ['segment', ['-k', '2']],
];

describe('NaN/Inf: one wording across verbs', () => {
  it.each(verbs)('%s names the file, pixel, channel and count, and points at --pixel-mask', async (verb, args) => {
    const r = await runCli([verb, file, ...args, '--out', join(dir, `never-${verb}`), '--backend', 'cpu', '-q']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `specmap: ${file}: pixel (2, 3) channel 7 is NaN (2 non-finite values in all; --pixel-mask FILE leaves dead pixels out)`,
    ]);
  });

  it.each(verbs)(
    '%s with a --pixel-mask that keeps a bad pixel names it and counts only the selected pixels',
    async (verb, args) => {
      const r = await runCli([
        verb,
        file,
        ...args,
        '--pixel-mask',
        leaky,
        '--out',
        join(dir, `never-leaky-${verb}`),
        '--backend',
        'cpu',
        '-q',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([
        `specmap: ${file}: pixel (2, 3) channel 7 is NaN (1 non-finite value in the selected pixels; --pixel-mask selects this pixel)`,
      ]);
    },
  );
});
