import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { info } from '../../../src/cli/verbs/info.js';
import type { VerbContext } from '../../../src/cli/verb.js';
import { encodeNpy } from '../../../src/data/io/npy.js';
import { zipSync } from 'fflate';
import { dataset, writeH5 } from '../../data/hdf5-write.js';
import { InputError } from '../../../src/engine/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-info-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context(lines: string[], positionals: string[]): VerbContext {
  return {
    values: {},
    positionals,
    engine: () => Promise.reject(new Error('info must not open the engine')),
    progress: () => () => undefined,
    out: (l) => lines.push(l),
    warn: () => undefined,
    signal: new AbortController().signal,
  };
}

async function runInfo(positionals: string[], values: VerbContext['values'] = {}): Promise<Record<string, string>> {
  const lines: string[] = [];
  await info.run({ ...context(lines, positionals), values });
  if (values.json) return { json: lines.join('\n') };
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ')).trim()]));
}

describe('specmap info', () => {
  it('--rows-as-spectra reads a table whose first row holds the energies', async () => {
    const file = join(dir, 'rows.csv');
    writeFileSync(file, '280.0,280.5,281.0\n5,9,4\n6,8,3\n7,7,2\n');
    const r = await runInfo([file], { 'rows-as-spectra': true });
    expect(r.layout).toBe('list: 3 spectra, 3 channels');
    expect(r.energy).toMatch(/^280 → 281 eV/);
  });

  it('prints shape, dtype, energy axis, statistics and the first location of each problem', async () => {
    const ny = 4;
    const nx = 5;
    const ch = 6;
    const data = Float32Array.from({ length: ny * nx * ch }, () => 1 + Math.random());
    const at = (y: number, x: number, c: number) => (y * nx + x) * ch + c;
    data[at(2, 3, 4)] = NaN;
    data[at(3, 1, 0)] = Infinity;
    data[at(1, 2, 5)] = -3;
    data.fill(0, at(0, 4, 0), at(1, 0, 0));
    const file = join(dir, 'map.npy');
    writeFileSync(file, encodeNpy(data, [ny, nx, ch]));
    const out = await runInfo([file], { e0: '280', de: '0.5' });
    let total = 0;
    let max = -Infinity;
    let n = 0;
    for (const v of data) {
      if (!Number.isFinite(v)) continue;
      total += v;
      max = Math.max(max, v);
      n++;
    }
    expect(out).toMatchObject({
      file,
      format: 'npy, dtype <f4, shape (4, 5, 6)',
      layout: 'map: 4 × 5 pixels (20 spectra), 6 channels',
      energy: '280 → 282.5 eV, step 0.5 (uniform)',
      NaN: '1 value (first: pixel (2, 3) channel 4)',
      Inf: '1 value (first: pixel (3, 1) channel 0)',
      negative: '1 value (first: pixel (1, 2) channel 5)',
      'all-zero': '1 spectrum (first: pixel (0, 4))',
    });
    const [, lo, hi, mean] = /^min (\S+), max (\S+), mean (\S+) \(finite values\)$/.exec(out.values!)!.map(Number);
    expect([lo, hi, mean]).toEqual([-3, Number(max.toPrecision(6)), Number((total / n).toPrecision(6))]);
    expect(Number(out.total!.split(' ')[0])).toBeCloseTo(total, 2);
  });

  it('a linear axis stored as float32 (steps that differ by an ulp) is uniform; a real irregular step is not', async () => {
    const map = join(dir, 'ke-map.npy');
    writeFileSync(
      map,
      encodeNpy(
        Float32Array.from({ length: 2 * 2 * 201 }, () => 1),
        [2, 2, 201],
      ),
    );
    const ke = join(dir, 'ke.npy');
    const axis = Float32Array.from({ length: 201 }, (_, i) => 1242.1 + 0.1 * i);
    writeFileSync(ke, encodeNpy(axis, [201]));
    expect((await runInfo([map], { energy: ke })).energy).toBe('1242.1 → 1262.1 eV, step 0.1 (uniform)');
    axis[100]! += 0.01;
    writeFileSync(ke, encodeNpy(axis, [201]));
    expect((await runInfo([map], { energy: ke })).energy).toMatch(
      /^1242\.1 → 1262\.1 eV, step 0\.08\d+ … 0\.1\d+ \(non-uniform\)$/,
    );
  });

  it('describes a CSV table of spectra and a channel axis', async () => {
    const file = join(dir, 'tab.csv');
    writeFileSync(file, 'E (keV),a,b\n1.0,1,2\n1.1,3,4\n1.3,5,6\n');
    const out = await runInfo([file]);
    expect(out).toMatchObject({
      format: 'text table (comma-separated)',
      layout: 'list: 2 spectra, 3 channels',
      columns: 'a, b',
      energy: '1 → 1.3 keV, step 0.1 … 0.2 (non-uniform)',
      NaN: '0',
      'all-zero': '0',
    });
    const plain = join(dir, 'one.txt');
    writeFileSync(plain, '1\n2\n');
    expect((await runInfo([plain])).energy).toBe('channel index 0 … 1 (no energy axis given)');
  });

  it('prints JSON with --json', async () => {
    const file = join(dir, 'j.npy');
    writeFileSync(file, encodeNpy(new Float32Array([1, NaN, 3, 4]), [2, 2]));
    const j = JSON.parse((await runInfo([file], { json: true })).json!);
    expect(j).toMatchObject({
      ny: 1,
      nx: 2,
      channels: 2,
      layout: 'list',
      scan: { nan: { count: 1, first: { pixel: 0, channel: 1 } }, min: 1, max: 4 },
    });
  });

  it('marks the dataset read when --dataset names it through a link (an alias of the listed name)', async () => {
    const file = await writeH5(join(dir, 'alias.h5'), (f) => {
      dataset(
        f.create_group('detector'),
        'frames',
        Float32Array.from({ length: 24 }, (_, i) => i + 1),
        [2, 3, 4],
      );
      dataset(f, 'dark', new Float32Array(8), [2, 4]);
      f.create_group('processed');
      f.create_hard_link('/detector/frames', 'processed/hard');
      f.create_soft_link('/detector/frames', 'soft');
    });
    for (const alias of ['/soft', '/processed/hard', 'detector/frames']) {
      const lines: string[] = [];
      await info.run({ ...context(lines, [file]), values: { dataset: alias } });
      const marked = lines.filter((l) => l.endsWith('← read'));
      expect(marked, alias).toHaveLength(1);
      expect(marked[0], alias).toMatch(/^(datasets|\s+)\s+\/detector\/frames\s+\(2, 3, 4\)\s+<f4 {2}← read$/);
      expect(
        lines.find((l) => l.startsWith('format')),
        alias,
      ).toBe('format    hdf5, dataset /detector/frames, dtype <f4, shape (2, 3, 4)');
    }
  });

  it('lists the members of a .npz with shapes and marks the one read (--dataset by key)', async () => {
    const file = join(dir, 'scan.npz');
    const cube = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const member = (a: Float32Array | Float64Array, shape: number[]) =>
      [encodeNpy(a, shape), { level: 6 }] as [Uint8Array, { level: 6 }];
    writeFileSync(
      file,
      zipSync({
        'arr_0.npy': member(cube, [2, 3, 4]),
        'arr_1.npy': member(cube, [6, 4]),
        'energy.npy': member(Float64Array.from([1, 2, 3, 4]), [4]),
      }),
    );
    const lines: string[] = [];
    await info.run({ ...context(lines, [file]), values: { dataset: 'arr_1', energy: `${file}:energy` } });
    expect(lines.slice(0, 6)).toEqual([
      `file      ${file}`,
      'datasets  arr_0   (2, 3, 4)  <f4',
      '          arr_1   (6, 4)     <f4  ← read',
      '          energy  (4,)       <f8',
      'format    npz, array arr_1, dtype <f4, shape (6, 4)',
      'layout    list: 6 spectra, 4 channels',
    ]);
    expect(lines[6]).toMatch(/^energy {4}1 → 4 eV/);
  });

  it('without an energy axis, names the 1-D arrays in the file that have one value per channel, and how to use one', async () => {
    const file = join(dir, 'saved.npz');
    const cube = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const member = (a: Float32Array | Float64Array, shape: number[]) =>
      [encodeNpy(a, shape), { level: 0 }] as [Uint8Array, { level: 0 }];
    // np.savez(data=cube, energy=E, temps=...): 'temps' has the wrong length and is not named.
    writeFileSync(
      file,
      zipSync({
        'data.npy': member(cube, [2, 3, 4]),
        'energy.npy': member(Float64Array.from([1, 2, 3, 4]), [4]),
        'temps.npy': member(Float64Array.from([1, 2]), [2]),
      }),
    );
    expect((await runInfo([file])).energy).toBe(
      `channel index 0 … 3 (no energy axis given; 'energy' has one value per channel: --energy ${file}:energy)`,
    );
    // With the axis given, nothing to say; a file with no such array gets the plain line.
    expect((await runInfo([file], { energy: `${file}:energy` })).energy).toMatch(/^1 → 4 eV/);
    const bare = join(dir, 'bare.npz');
    writeFileSync(bare, zipSync({ 'data.npy': member(cube, [2, 3, 4]) }));
    expect((await runInfo([bare])).energy).toBe('channel index 0 … 3 (no energy axis given)');
  });

  it('fails with one line for a missing file and for a wrong number of files', async () => {
    await expect(runInfo([join(dir, 'missing.npy')])).rejects.toThrow(
      new InputError(`${join(dir, 'missing.npy')}: no such file`),
    );
    await expect(runInfo([])).rejects.toThrow("info: give one FILE (got 0); see 'specmap info --help'");
  });
});
