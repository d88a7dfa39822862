// The CLI on HDF5 / NeXus input: info lists the datasets then the usual statistics, --dataset
// reaches every verb that loads data, and a file with no clear choice is one line on stderr.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataset, nexusTree, writeH5 } from '../../data/hdf5-write.js';
import { errors, runCli, tempDir } from '../run-cli.js';

let dir: string;
let nexus: string;
let two: string;
const [ny, nx, c] = [3, 4, 6];
const counts = Uint16Array.from(
  { length: ny * nx * c },
  (_, i) => 10 + ((i * 7) % 23) + 40 * Math.exp(-(((i % c) - 2.5) ** 2)),
);

beforeAll(async () => {
  dir = tempDir('specmap-hdf5-cli-');
  nexus = await writeH5(join(dir, 'scan.nxs'), (f) => {
    const entry = nexusTree(
      f,
      { name: 'counts', data: counts, shape: [ny, nx, c] },
      { name: 'energy', values: Float64Array.from({ length: c }, (_, i) => 700 + 0.5 * i), units: 'eV' },
    );
    entry.create_group('sample').create_dataset({ name: 'name', data: ['LiFePO4'] });
  });
  two = await writeH5(join(dir, 'two.h5'), (f) => {
    dataset(f, 'map', Float32Array.from(counts), [ny, nx, c]);
    dataset(
      f,
      'dark',
      Float32Array.from({ length: 5 * c }, (_, i) => 1 + (i % 3)),
      [5, c],
    );
  });
});

describe('specmap info FILE.h5', () => {
  it('lists every dataset (path, shape, dtype, the one read marked), then the statistics of the NeXus signal with its @axes energy', async () => {
    const r = await runCli(['info', nexus]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`file      ${nexus}`);
    expect(lines.slice(1, 4)).toEqual([
      'datasets  /entry/data/counts  (3, 4, 6)  <u2  ← read',
      '          /entry/data/energy  (6,)       <f8',
      '          /entry/sample/name  (1,)       string',
    ]);
    expect(r.out).toContain('format    hdf5, dataset /entry/data/counts, dtype <u2, shape (3, 4, 6)');
    expect(r.out).toContain('layout    map: 3 × 4 pixels (12 spectra), 6 channels');
    expect(r.out).toContain('energy    700 → 702.5 eV, step 0.5 (uniform)');
    const min = Math.min(...counts);
    const max = Math.max(...counts);
    expect(r.out).toMatch(new RegExp(`values    min ${min}, max ${max}, mean `));
  });

  it('two candidate datasets: one line naming both and --dataset (info still lists the tree); with --dataset the chosen one is read', async () => {
    const r = await runCli(['info', two]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `specmap: ${two}: 2 datasets could hold the spectra: /dark (5, 6) <f4, /map (3, 4, 6) <f4; choose one with --dataset PATH`,
    ]);
    expect(r.out.split('\n')).toEqual([
      `file      ${two}`,
      'datasets  /dark  (5, 6)     <f4',
      '          /map   (3, 4, 6)  <f4',
    ]);
    const notHdf5 = join(dir, 'not.h5');
    writeFileSync(notHdf5, 'text');
    const t = await runCli(['info', notHdf5]);
    expect([t.code, t.out, t.err]).toEqual([
      2,
      '',
      [`specmap: ${notHdf5}: not an HDF5 file (no HDF5 signature \\x89HDF\\r\\n\\x1a\\n at its start)`],
    ]);
    const empty = await runCli(['info', two, '--dataset', ' ']);
    expect(empty.err).toEqual([
      'specmap: --dataset needs a path in the HDF5 file or an array name in the .npz, e.g. --dataset /entry/data/data or --dataset arr_0',
    ]);
    const d = await runCli(['info', two, '--dataset', '/dark', '--energy', `${nexus}:/entry/data/energy`]);
    expect(d.code).toBe(0);
    expect(d.out).toContain('layout    list: 5 spectra, 6 channels');
    expect(d.out).toContain('energy    700 → 702.5 eV');
  });

  it('scree and nmf read the dataset named by --dataset (the shared loading options)', async () => {
    const s = await runCli(['scree', two, '--dataset', 'map', '--components', '3', '--backend', 'cpu']);
    expect(errors(s)).toEqual([]);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/suggested k = \d/);
    const out = join(dir, 'nmf-out');
    const n = await runCli(['nmf', two, '--dataset', '/map', '-k', '2', '--out', out, '--backend', 'cpu']);
    expect(n.code).toBe(0);
    expect(existsSync(join(out, 'loadings.npy'))).toBe(true);
    const none = await runCli([
      'segment',
      two,
      '--dataset',
      '/nothing',
      '-k',
      '2',
      '--out',
      join(dir, 'never'),
      '--backend',
      'cpu',
    ]);
    expect(none.code).toBe(2);
    expect(none.err).toEqual([`specmap: ${two}: no dataset /nothing (datasets: /dark (5, 6) <f4, /map (3, 4, 6) <f4)`]);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
