// nmf, scree and segment on bad input: the error is the only line on stderr (data are checked
// before the GPU adapter opens and logs), it names the file, and no output folder is left behind.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeNpy } from '../run-cli.js';

let dir: string;
let nanFile: string;
let goodFile: string;

beforeAll(() => {
  dir = tempDir();
  const data = Float32Array.from({ length: 6 * 5 * 8 }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  goodFile = writeNpy(join(dir, 'good.npy'), data, [6, 5, 8]);
  const bad = Float32Array.from(data);
  bad[(2 * 5 + 3) * 8 + 4] = NaN;
  nanFile = writeNpy(join(dir, 'nan.npy'), bad, [6, 5, 8]);
});

describe('nmf / scree / segment refuse bad input in one line, before the engine opens', () => {
  const verbs: [string, string[]][] = [
    ['nmf', ['-k', '2']],
    ['scree', []],
    ['segment', ['-k', '2']],
  ];
  for (const [verb, args] of verbs) {
    it(`${verb}: a NaN names the file and the pixel, and nothing is made under --out`, async () => {
      const out = join(dir, `never-${verb}`, 'deeper');
      const r = await runCli([verb, nanFile, ...args, '--out', out, '--backend', 'webgpu']);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^specmap: .*nan\.npy: pixel \(2, 3\) channel 4 is NaN/);
      expect(existsSync(join(dir, `never-${verb}`))).toBe(false);
    });
  }

  it.each(['fit', 'nmf', 'scree', 'segment'])(
    '%s: a second word where one file goes (a list option split at a space) names both words',
    async (verb) => {
      // '--background tougaard, uniform' gives the shell two words; 'uniform' lands with the file.
      const r = await runCli([verb, goodFile, 'uniform', '--out', join(dir, `never-two-${verb}`), '--backend', 'cpu']);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([
        `specmap: ${verb}: one input file only, got 2: '${goodFile}', 'uniform' (an option's list split at a space? write it without spaces, e.g. --background tougaard,uniform, or quote it)`,
      ]);
    },
  );

  it('segment: a list of spectra (no map) is refused naming the formats a map can come in', async () => {
    const list = writeNpy(
      join(dir, 'list.npy'),
      Float32Array.from({ length: 6 * 8 }, (_, i) => 1 + (i % 5)),
      [6, 8],
    );
    const r = await runCli(['segment', list, '-k', '2', '--out', join(dir, 'never-list'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `specmap: ${list}: segmentation needs a map at least 2×2 pixels, got 1×6 (list); give a map [ny, nx, channels] (a 3-D .npy, .npz array or HDF5 dataset)`,
    ]);
  });

  it('nmf: a k the data cannot hold leaves no output folder behind', async () => {
    const out = join(dir, 'never-k');
    const r = await runCli(['nmf', goodFile, '-k', '50', '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.err.filter((l) => !/warning/.test(l))).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('nmf: errors raised inside the method (k too large, MU on negative data) come before the adapter opens', async () => {
    const tooMany = await runCli(['nmf', goodFile, '-k', '50', '--out', join(dir, 'never-k2'), '--backend', 'webgpu']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.err).toHaveLength(1);
    expect(tooMany.err[0]).toMatch(/^specmap: .*k/);
    const negative = Float32Array.from({ length: 6 * 5 * 8 }, (_, i) => ((i * 7919) % 13) / 13 - 0.3);
    const negFile = writeNpy(join(dir, 'negative.npy'), negative, [6, 5, 8]);
    const neg = await runCli(['nmf', negFile, '-k', '2', '--out', join(dir, 'never-neg'), '--backend', 'webgpu']);
    expect(neg.code).toBe(2);
    expect(neg.err).toHaveLength(1);
    expect(neg.err[0]).toMatch(/semi/);
  });
});
