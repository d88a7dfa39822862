// HDF5 / NeXus input: files written here with h5wasm, read back through loadSpectrumImage.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from 'h5wasm/node';
import { loadSpectrumImage } from '../../src/data/io/load.js';
import { encodeNpy } from '../../src/data/io/npy.js';
import { dataset, nexusTree, nxdataGroup, writeH5 } from './hdf5-write.js';
import { inputErrorAsync } from './input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-hdf5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const values = (n: number, f = (i: number) => ((i * 37) % 101) * 0.5 - 3) =>
  Float64Array.from({ length: n }, (_, i) => f(i));

describe('loadSpectrumImage: HDF5 datasets', () => {
  it('a rank-3 float32 dataset is a map [ny, nx, channels], values and order kept', async () => {
    const v = Float32Array.from(values(3 * 4 * 5));
    const p = await writeH5(at('map.h5'), (f) => dataset(f.create_group('scan'), 'cube', v, [3, 4, 5]));
    const img = await loadSpectrumImage(p);
    expect([img.ny, img.nx, img.channels, img.layout, img.energyUnit]).toEqual([3, 4, 5, 'map', 'channel']);
    expect(Array.from(img.data)).toEqual(Array.from(v));
    expect(img.meta).toMatchObject({
      source: `${p}:/scan/cube`,
      file: p,
      dataset: '/scan/cube',
      format: 'hdf5',
      dtype: '<f4',
      shape: [3, 4, 5],
    });
    expect(img.meta.datasets).toEqual([{ path: '/scan/cube', shape: [3, 4, 5], dtype: '<f4', numeric: true }]);
  });

  it('a rank-2 int16 dataset is a list [n, channels]; float64 and int64 become float32', async () => {
    const i16 = Int16Array.from(values(6 * 4, (i) => ((i * 911) % 4000) - 2000));
    const p = await writeH5(at('list.hdf5'), (f) => dataset(f, 'spectra', i16, [6, 4]));
    const list = await loadSpectrumImage(p, { e0: 100, de: -0.5 });
    expect([list.ny, list.nx, list.channels, list.layout, list.meta.dtype]).toEqual([1, 6, 4, 'list', '<i2']);
    expect(list.data).toBeInstanceOf(Float32Array);
    expect(Array.from(list.data)).toEqual(Array.from(i16));
    expect(Array.from(list.energy)).toEqual([100, 99.5, 99, 98.5]);

    const f64 = values(2 * 3 * 4, (i) => Math.PI * i - 7.1);
    const q = await writeH5(at('f64.nx5'), (f) => dataset(f, 'd', f64, [2, 3, 4]));
    const img = await loadSpectrumImage(q);
    expect(img.meta.dtype).toBe('<f8');
    expect(Array.from(img.data)).toEqual(Array.from(f64, Math.fround));

    const big = BigInt64Array.from({ length: 8 }, (_, i) => BigInt(i * 1_000_003 - 3));
    const r = await writeH5(at('i64.h5'), (f) => dataset(f, 'counts', big, [2, 4]));
    const i64 = await loadSpectrumImage(r);
    expect(i64.meta.dtype).toBe('<i8');
    expect(Array.from(i64.data)).toEqual(Array.from(big, (b) => Math.fround(Number(b))));
  });

  it('a NeXus file: root@default → NXentry@default → NXdata@signal picks the data among other 3-D datasets; @axes gives the energy axis and its unit', async () => {
    const counts = Uint16Array.from(values(2 * 3 * 4, (i) => 100 + i));
    const energy = Float64Array.from([7.0, 7.1, 7.2, 7.3]);
    const p = await writeH5(at('scan.nxs'), (f) => {
      const entry = nexusTree(
        f,
        { name: 'counts', data: counts, shape: [2, 3, 4] },
        { name: 'energy', values: energy, units: 'keV' },
      );
      dataset(entry.create_group('instrument'), 'raw', Float32Array.from(values(24)), [2, 3, 4]);
    });
    const img = await loadSpectrumImage(p);
    expect(img.meta.dataset).toBe('/entry/data/counts');
    expect(Array.from(img.data)).toEqual(Array.from(counts));
    expect(Array.from(img.energy)).toEqual(Array.from(energy));
    expect(img.energyUnit).toBe('keV');
    // The user's axis wins over @axes.
    const linear = await loadSpectrumImage(p, { e0: 1, de: 1 });
    expect([Array.from(linear.energy), linear.energyUnit]).toEqual([[1, 2, 3, 4], 'eV']);
    // --dataset reaches past the default.
    expect((await loadSpectrumImage(p, { dataset: '/entry/instrument/raw' })).meta.dataset).toBe(
      '/entry/instrument/raw',
    );
  });

  it('a NeXus @axes with the energy axis first ([energy, y, x]) is refused naming it, found by name or by @units eV; spatial axes first are fine', async () => {
    const stack = Float32Array.from(values(4 * 2 * 3));
    const write = (file: string, axes: string[], units: Record<string, string> = {}) =>
      writeH5(at(file), (f) => {
        const g = nxdataGroup(f, 'data').data;
        g.create_attribute('axes', axes);
        dataset(g, 'data', stack, [4, 2, 3]);
        [4, 2, 3].forEach((n, i) => {
          if (axes[i] === '.') return;
          g.create_dataset({ name: axes[i]!, data: Float64Array.from({ length: n }, (_, j) => 700 + j) });
          if (units[axes[i]!]) (g.get(axes[i]!) as Dataset).create_attribute('units', units[axes[i]!]!);
        });
      });
    const byName = await write('efirst.nxs', ['energy', 'y', 'x']);
    expect(await inputErrorAsync(() => loadSpectrumImage(byName))).toBe(
      `${byName}:/entry/data/data: NeXus @axes [energy, y, x] put the energy axis 'energy' on dimension 0 of 3; specmap reads spectra with energy last ([ny, nx, channels] or [n, channels]): save the data with that axis last (NumPy: np.moveaxis(a, 0, -1))`,
    );
    const byUnits = await write('mono-first.nxs', ['mono', '.', '.'], { mono: 'eV' });
    expect(await inputErrorAsync(() => loadSpectrumImage(byUnits))).toMatch(
      /NeXus @axes \[mono, \., \.\] put the energy axis 'mono' on dimension 0 of 3/,
    );
    // Stage positions first and an energy-like last axis, or no energy-like axis at all: read as before.
    const ok = await write('stage.nxs', ['sy', 'sx', 'E'], { sy: 'mm', sx: 'mm', E: 'keV' });
    const img = await loadSpectrumImage(ok);
    expect([img.ny, img.nx, img.channels, img.energyUnit]).toEqual([4, 2, 3, 'keV']);
    const plain = await write('plain.nxs', ['a', 'b', 'c']);
    expect((await loadSpectrumImage(plain)).channels).toBe(3);
  });

  it('NeXus bin edges (one more value than channels) become centres; an @axes of another length is refused as --energy is', async () => {
    const counts = Float32Array.from(values(5 * 3));
    const edges = await writeH5(at('edges.nxs'), (f) =>
      nexusTree(
        f,
        { name: 'data', data: counts, shape: [5, 3] },
        { name: 'E', values: Float64Array.from([10, 12, 14, 16]) },
      ),
    );
    expect(Array.from((await loadSpectrumImage(edges)).energy)).toEqual([11, 13, 15]);
    const wrong = await writeH5(at('wrong.nxs'), (f) =>
      nexusTree(
        f,
        { name: 'data', data: counts, shape: [5, 3] },
        { name: 'E', values: Float64Array.from([1, 2, 3, 4, 5]) },
      ),
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(wrong))).toBe(
      `${wrong}:/entry/data/E: energy axis has 5 values but the spectra in ${wrong}:/entry/data/data have 3 channels`,
    );
  });

  it('--energy FILE.h5:/path reads the axis from a dataset (FILE.h5 alone: its one 1-D dataset), with the usual checks', async () => {
    const cube = await writeH5(at('cube.h5'), (f) => dataset(f, 'd', Float32Array.from(values(2 * 2 * 4)), [2, 2, 4]));
    const axes = await writeH5(at('axes.h5'), (f) => {
      f.create_group('mono');
      f.create_dataset({ name: 'mono/energy', data: Float64Array.from([530, 531, 532, 533]) });
      f.create_dataset({ name: 'mono/short', data: Float64Array.from([1, 2, 3]) });
      f.create_dataset({ name: 'mono/zigzag', data: Float64Array.from([1, 3, 2, 4]) });
    });
    const img = await loadSpectrumImage(cube, { energyFile: `${axes}:/mono/energy` });
    expect([Array.from(img.energy), img.energyUnit]).toEqual([[530, 531, 532, 533], 'eV']);
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: `${axes}:/mono/short` }))).toBe(
      `${axes}:/mono/short: energy axis has 3 values but the spectra in ${cube}:/d have 4 channels`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: `${axes}:/mono/zigzag` }))).toBe(
      `${axes}:/mono/zigzag: energy axis is not monotonic at channel 2 (3 then 2, after 1)`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: `${axes}:/mono/none` }))).toMatch(
      new RegExp(`^${axes}: no dataset /mono/none for the energy axis \\(datasets: /mono/energy \\(4,\\) <f8, `),
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: axes }))).toBe(
      `${axes}: 3 1-D datasets to read as the energy axis (/mono/energy (4,) <f8, /mono/short (3,) <f8, /mono/zigzag (4,) <f8); name one as --energy ${axes}:/path`,
    );
    const one = await writeH5(at('one-axis.h5'), (f) =>
      f.create_dataset({ name: 'e', data: Float64Array.from([5, 6, 7, 8]) }),
    );
    expect(Array.from((await loadSpectrumImage(cube, { energyFile: one })).energy)).toEqual([5, 6, 7, 8]);
  });

  it('a dataset reached by several names (hard and soft links) is one candidate, listed under its first name', async () => {
    const v = Float32Array.from(values(2 * 3 * 4));
    const p = await writeH5(at('links.h5'), (f) => {
      dataset(f.create_group('detector'), 'frames', v, [2, 3, 4]);
      f.create_group('processed');
      f.create_hard_link('/detector/frames', 'processed/hard');
      f.create_soft_link('/detector/frames', 'soft');
    });
    const img = await loadSpectrumImage(p);
    expect(img.meta.dataset).toBe('/detector/frames');
    expect((img.meta.datasets as { path: string }[]).map((d) => d.path)).toEqual(['/detector/frames']);
    expect(Array.from((await loadSpectrumImage(p, { dataset: '/soft' })).data)).toEqual(Array.from(v));
  });

  it('a NeXus signal that is a link to a dataset listed under another name: the listed name is read, the @axes of the signal group still apply', async () => {
    const v = Float32Array.from(values(2 * 3 * 4));
    const p = await writeH5(at('linked-signal.nxs'), (f) => {
      // '/a_detector/frames' comes first in name order, so the listing names the data by it.
      dataset(f.create_group('a_detector'), 'frames', v, [2, 3, 4]);
      const { data } = nxdataGroup(f, 'counts');
      data.create_attribute('axes', ['y', 'x', 'energy']);
      data.create_dataset({ name: 'energy', data: Float64Array.from([10, 11, 12, 13]) });
      (data.get('energy') as Dataset).create_attribute('units', 'keV');
      f.create_hard_link('/a_detector/frames', 'entry/data/counts');
    });
    const img = await loadSpectrumImage(p);
    expect(img.meta.dataset).toBe('/a_detector/frames');
    expect(Array.from(img.energy)).toEqual([10, 11, 12, 13]);
    expect(img.energyUnit).toBe('keV');
    expect(img.meta.source).toBe(`${p}:/a_detector/frames`);
    expect(Array.from(img.data)).toEqual(Array.from(v));
  });

  it('a file is read as HDF5 by its signature: an unknown extension with HDF5 inside loads; a .h5 after a 512-byte user block loads', async () => {
    const p = await writeH5(at('beamline.data'), (f) => dataset(f, 'd', Float32Array.from(values(6)), [2, 3]));
    expect((await loadSpectrumImage(p)).meta.format).toBe('hdf5');
    const withBlock = at('userblock.h5');
    writeFileSync(withBlock, Buffer.concat([Buffer.alloc(512, 0x55), readFileSync(p)]));
    expect(Array.from((await loadSpectrumImage(withBlock)).data)).toEqual(Array.from(values(6), Math.fround));
    // Without an HDF5 name only byte 0 is looked at: the same bytes as '.data' are an unknown type.
    const renamed = at('userblock.data');
    writeFileSync(renamed, readFileSync(withBlock));
    expect(await inputErrorAsync(() => loadSpectrumImage(renamed))).toMatch(
      /userblock\.data: unknown file type '\.data'/,
    );
  });
});

describe('loadSpectrumImage: HDF5 errors are one line naming the file (and dataset)', () => {
  it('two candidate datasets: lists both with shapes and dtypes; --dataset chooses; a wrong --dataset lists what there is', async () => {
    const p = await writeH5(at('two.h5'), (f) => {
      dataset(f, 'a', Float32Array.from(values(24)), [2, 3, 4]);
      dataset(f.create_group('g'), 'b', Int32Array.from(values(20)), [5, 4]);
      f.create_dataset({ name: 'g/energy', data: Float64Array.from([1, 2, 3, 4]) });
    });
    expect(await inputErrorAsync(() => loadSpectrumImage(p))).toBe(
      `${p}: 2 datasets could hold the spectra: /a (2, 3, 4) <f4, /g/b (5, 4) <i4; choose one with --dataset PATH`,
    );
    const b = await loadSpectrumImage(p, { dataset: 'g/b' });
    expect([b.meta.dataset, b.nx, b.channels]).toEqual(['/g/b', 5, 4]);
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/c' }))).toBe(
      `${p}: no dataset /c (datasets: /a (2, 3, 4) <f4, /g/b (5, 4) <i4, /g/energy (4,) <f8)`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/missing/group/c' }))).toMatch(
      /: no dataset \/missing\/group\/c \(datasets: /,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/g' }))).toBe(
      `${p}: --dataset /g is a group, not a dataset (datasets in it: /g/b (5, 4) <i4, /g/energy (4,) <f8)`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/g/energy' }))).toBe(
      `${p}: dataset /g/energy has shape (4,): expected a 3-D [ny, nx, channels] map or a 2-D [spectra, channels] list`,
    );
  });

  it('non-numeric, 4-D and empty datasets, and files with nothing to read', async () => {
    const p = await writeH5(at('odd.h5'), (f) => {
      f.create_dataset({ name: 'names', data: ['a', 'b', 'c', 'd'], shape: [2, 2] });
      dataset(f, 'four', Float32Array.from(values(16)), [2, 2, 2, 2]);
      dataset(f, 'empty', new Float32Array(0), [0, 4]);
    });
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/names' }))).toBe(
      `${p}: dataset /names holds string values, not numbers (specmap reads integer and float32/64 datasets)`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/four' }))).toBe(
      `${p}: dataset /four has shape (2, 2, 2, 2): expected a 3-D [ny, nx, channels] map or a 2-D [spectra, channels] list`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: '/empty' }))).toBe(
      `${p}: dataset /empty holds no spectra (shape (0, 4))`,
    );
    // Only the empty one is numeric 2-D: it is chosen, and refused for holding nothing.
    expect(await inputErrorAsync(() => loadSpectrumImage(p))).toBe(
      `${p}: dataset /empty holds no spectra (shape (0, 4))`,
    );
    const none = await writeH5(at('none.h5'), (f) => f.create_dataset({ name: 'title', data: ['scan 12'] }));
    expect(await inputErrorAsync(() => loadSpectrumImage(none))).toBe(
      `${none}: no numeric 2-D or 3-D dataset to read as spectra (datasets: /title (1,) string)`,
    );
  });

  it('a .h5 that is not HDF5, an empty one, a truncated one, a damaged one; --dataset on a .npy', async () => {
    const text = at('notes.h5');
    writeFileSync(text, 'x,y\n1,2\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(text))).toBe(
      `${text}: not an HDF5 file (no HDF5 signature \\x89HDF\\r\\n\\x1a\\n at its start)`,
    );
    const empty = at('empty.nxs');
    writeFileSync(empty, '');
    expect(await inputErrorAsync(() => loadSpectrumImage(empty))).toBe(`${empty}: the file is empty (0 bytes)`);

    const whole = await writeH5(at('whole.h5'), (f) => dataset(f, 'd', Float32Array.from(values(50 * 40)), [50, 40]));
    const bytes = readFileSync(whole);
    const cut = at('cut.h5');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 3000));
    expect(await inputErrorAsync(() => loadSpectrumImage(cut))).toBe(
      `${cut}: cannot open it as HDF5 (truncated: the file holds ${bytes.length - 3000} of the ${bytes.length} bytes it was written with)`,
    );
    const damaged = Uint8Array.from(bytes);
    damaged.fill(0xab, 8, 400); // the signature survives, the superblock and root group do not
    const bad = at('damaged.h5');
    writeFileSync(bad, damaged);
    expect(await inputErrorAsync(() => loadSpectrumImage(bad))).toMatch(
      new RegExp(`^${bad}: cannot (open|read) it as HDF5 \\([^\\n]+\\)$`),
    );

    const npy = at('plain.npy');
    writeFileSync(npy, encodeNpy(new Float32Array(6), [2, 3]));
    expect(await inputErrorAsync(() => loadSpectrumImage(npy, { dataset: '/d' }))).toBe(
      `--dataset names a dataset in an HDF5 file or an array in a .npz, but ${npy} is neither (.npy)`,
    );
  });
});
