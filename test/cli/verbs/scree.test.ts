// scree refuses what it cannot rank (one spectrum) and, like nmf and fit, checks inside the method
// before the engine opens: the error is the only stderr line, with no WebGPU adapter line first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSpectrumImage } from '../../../src/data/types.js';
import type { Engine } from '../../../src/engine/index.js';
import { InputError } from '../../../src/engine/errors.js';
import { scree } from '../../../src/methods/nmf/index.js';
import { runCli, tempDir, writeNpy } from '../run-cli.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('specmap-scree-');
});

const ONE =
  /a scree needs at least 2 spectra \(it measures the variance between them\), got 1; one spectrum is one component$/;

describe('specmap scree: refusals are one line, before the adapter opens', () => {
  it('one spectrum (a 1-D file or a [1, channels] list) is refused instead of suggesting k = 1', async () => {
    const spectrum = Float32Array.from({ length: 16 }, (_, i) => 5 + Math.exp(-((i - 8) ** 2) / 4));
    for (const [name, shape] of [
      ['one.npy', [16]],
      ['row.npy', [1, 16]],
    ] as const) {
      const file = writeNpy(join(dir, name), spectrum, [...shape]);
      const out = join(dir, `never-${name}`);
      const r = await runCli(['scree', file, '--out', out, '--backend', 'webgpu']);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(new RegExp(`^specmap: ${file}: ${ONE.source}`));
      expect(existsSync(out)).toBe(false);
    }
  });

  it('an error raised inside scree() (constant data) comes without the WebGPU adapter line', async () => {
    const file = writeNpy(join(dir, 'flat.npy'), new Float32Array(4 * 3 * 8).fill(7), [4, 3, 8]);
    const r = await runCli(['scree', file, '--backend', 'webgpu']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `specmap: ${file}: the data are constant (every value is 7); there is nothing to factorise`,
    ]);
  });
});

describe('scree(): the engine source is called only once the input passes', () => {
  it('one spectrum, or one left by the pixel mask, is refused and no engine is opened', async () => {
    let opened = 0;
    const source = async (): Promise<Engine> => {
      opened++;
      throw new Error('the engine must not be opened');
    };
    const one = makeSpectrumImage(
      Float32Array.from({ length: 6 }, (_, i) => i),
      1,
      1,
      6,
      undefined,
      { meta: { source: 'one.npy' } },
    );
    await expect(scree(source, one)).rejects.toThrow(
      new InputError(
        `one.npy: a scree needs at least 2 spectra (it measures the variance between them), got 1; one spectrum is one component`,
      ),
    );
    const three = makeSpectrumImage(
      Float32Array.from({ length: 18 }, (_, i) => (i * 7) % 5),
      1,
      3,
      6,
      undefined,
      { meta: { source: 'three.npy' } },
    );
    await expect(scree(source, three, { pixelMask: [0, 1, 0] })).rejects.toThrow(
      /three\.npy: a scree needs at least 2 spectra .*got 1 after the pixel mask/,
    );
    expect(opened).toBe(0);
  });
});
