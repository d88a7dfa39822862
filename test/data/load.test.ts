import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSpectrumImage } from '../../src/data/io/decode-spectra.js';
import { loadSpectrumImage } from '../../src/data/io/load.js';
import { encodeNpy } from '../../src/data/io/npy.js';
import { inputErrorAsync } from './input-error.js';
import { dictFor, npyBytes } from './npy-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
const ramp = (n: number, f = (i: number) => i * 0.25 - 1) => Float32Array.from({ length: n }, (_, i) => f(i));

describe('loadSpectrumImage: .npy', () => {
  it('reads a 3-D array as a map with channel-index energy', async () => {
    const data = ramp(2 * 3 * 5);
    const img = await loadSpectrumImage(file('cube.npy', encodeNpy(data, [2, 3, 5])));
    expect([img.ny, img.nx, img.channels, img.layout, img.energyUnit]).toEqual([2, 3, 5, 'map', 'channel']);
    expect(Array.from(img.energy)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(img.data)).toEqual(Array.from(data));
    expect(img.meta).toMatchObject({ source: join(dir, 'cube.npy'), dtype: '<f4', format: 'npy' });
  });

  it('reads a 2-D float64 array as a list (converted to float32) and a 1-D array as one spectrum', async () => {
    const d64 = Float64Array.from({ length: 12 }, (_, i) => i / 3);
    const list = await loadSpectrumImage(file('list.npy', encodeNpy(d64, [4, 3])), { e0: 280, de: 0.5 });
    expect([list.ny, list.nx, list.channels, list.layout, list.energyUnit, list.meta.dtype]).toEqual([
      1,
      4,
      3,
      'list',
      'eV',
      '<f8',
    ]);
    expect(list.data).toBeInstanceOf(Float32Array);
    expect(Array.from(list.data)).toEqual(Array.from(d64, Math.fround));
    expect(Array.from(list.energy)).toEqual([280, 280.5, 281]);
    const one = await loadSpectrumImage(file('one.npy', encodeNpy(ramp(7), [7])));
    expect([one.ny, one.nx, one.channels]).toEqual([1, 1, 7]);
  });

  it('takes the energy axis from an .npy or text energy file, with its unit from a header', async () => {
    const cube = file('c2.npy', encodeNpy(ramp(2 * 2 * 4), [2, 2, 4]));
    const e1 = await loadSpectrumImage(cube, {
      energyFile: file('e.npy', encodeNpy(new Float64Array([700, 700.5, 701, 701.5]), [4])),
    });
    expect(Array.from(e1.energy)).toEqual([700, 700.5, 701, 701.5]);
    expect(e1.energyUnit).toBe('eV');
    const e2 = await loadSpectrumImage(cube, { energyFile: file('e.txt', 'Energy (keV)\n1.0\n1.1\n1.2\n1.3\n') });
    expect([e2.energyUnit, e2.energy[3]]).toEqual(['keV', 1.3]);
    const e3 = await loadSpectrumImage(cube, {
      energyFile: file('erow.csv', '# descending binding energy\n290,289,288,287\n'),
    });
    expect(Array.from(e3.energy)).toEqual([290, 289, 288, 287]);
  });
});

describe('loadSpectrumImage: text', () => {
  it('reads one spectrum as one column (channel axis) or as energy,intensity', async () => {
    const a = await loadSpectrumImage(file('one.txt', '5\n6\n7\n'));
    expect([a.nx, a.channels, a.energyUnit]).toEqual([1, 3, 'channel']);
    expect(Array.from(a.data)).toEqual([5, 6, 7]);
    const b = await loadSpectrumImage(file('two.dat', '# E I\n284.0 10\n284.5 12\n285.0 9\n'));
    expect([b.nx, b.channels, b.energyUnit]).toEqual([1, 3, 'eV']);
    expect(Array.from(b.energy)).toEqual([284, 284.5, 285]);
    expect(Array.from(b.data)).toEqual([10, 12, 9]);
  });

  it('reads a table of spectra: first column energy, one column per spectrum, names kept', async () => {
    const img = await loadSpectrumImage(
      file('tab.tsv', 'E [keV]\ts1\ts2\n1\t10\t20\n2\t11\t21\n3\t12\t22\n4\t13\t23\n'),
    );
    expect([img.layout, img.ny, img.nx, img.channels, img.energyUnit]).toEqual(['list', 1, 2, 4, 'keV']);
    expect(Array.from(img.data)).toEqual([10, 11, 12, 13, 20, 21, 22, 23]);
    expect(img.meta.names).toEqual(['s1', 's2']);
    const noE = await loadSpectrumImage(join(dir, 'tab.tsv'), { energyColumn: false, header: true });
    expect([noE.nx, noE.channels, noE.energyUnit]).toEqual([3, 4, 'channel']);
  });

  it('reads rows as spectra with the first row holding the energies', async () => {
    const img = await loadSpectrumImage(file('rows.csv', '10,20,30\n1,2,3\n4,5,6\n'), { rowsAsSpectra: true });
    expect([img.nx, img.channels]).toEqual([2, 3]);
    expect(Array.from(img.energy)).toEqual([10, 20, 30]);
    expect(Array.from(img.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes bytes without a file system (browser path)', () => {
    const img = decodeSpectrumImage(new TextEncoder().encode('1,2\n2,4\n'), 'drop.csv');
    expect(Array.from(img.data)).toEqual([2, 4]);
  });
});

describe('loadSpectrumImage: errors name the file and say what is wrong', () => {
  it('missing file, folder, unreadable file, unknown extension', async () => {
    expect(await inputErrorAsync(() => loadSpectrumImage(join(dir, 'nope.npy')))).toBe(
      `${join(dir, 'nope.npy')}: no such file`,
    );
    const sub = join(dir, 'sub.npy');
    mkdirSync(sub);
    expect(await inputErrorAsync(() => loadSpectrumImage(sub))).toBe(`${sub}: is a folder, not a file`);
    if (process.getuid?.() !== 0) {
      // root reads any file, so permission errors can only be provoked as another user.
      const locked = file('locked.csv', '1\n');
      chmodSync(locked, 0);
      expect(await inputErrorAsync(() => loadSpectrumImage(locked))).toBe(
        `${locked}: cannot read it (permission denied)`,
      );
    }
    expect(await inputErrorAsync(() => loadSpectrumImage(file('x.mat', 'MATLAB')))).toBe(
      `${join(dir, 'x.mat')}: unknown file type '.mat' (supported: .npy, .npz, .csv, .tsv, .txt, .dat, .msa, .ems, .emsa, .h5, .hdf5, .nxs, .nx5, .hspy); save the variable: np.save('map.npy', scipy.io.loadmat(f)['name'])`,
    );
    // A .npz is read now: a file by that name that is no zip says so.
    expect(await inputErrorAsync(() => loadSpectrumImage(file('x.npz', 'zip')))).toBe(
      `${join(dir, 'x.npz')}: not a zip archive as np.savez writes (no end-of-central-directory record)`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(file('x.xyz', 'hdf')))).toBe(
      `${join(dir, 'x.xyz')}: unknown file type '.xyz' (supported: .npy, .npz, .csv, .tsv, .txt, .dat, .msa, .ems, .emsa, .h5, .hdf5, .nxs, .nx5, .hspy)`,
    );
    // A missing file is missing, whatever its extension (a typo in the name is the likelier mistake).
    expect(await inputErrorAsync(() => loadSpectrumImage(join(dir, 'absent.mat')))).toBe(
      `${join(dir, 'absent.mat')}: no such file`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(join(dir, 'absent.h5')))).toBe(
      `${join(dir, 'absent.h5')}: no such file`,
    );
  });

  it('malformed header, truncated data, unsupported dimensionality', async () => {
    const bad = file('bad.npy', npyBytes("{'descr': '<f4', 'fortran_order': False, }", new Uint8Array(8)));
    expect(await inputErrorAsync(() => loadSpectrumImage(bad))).toMatch(
      /bad\.npy: malformed \.npy header \(no 'shape'\)/,
    );
    const cut = file('cut.npy', encodeNpy(ramp(24), [2, 3, 4]).subarray(0, 128 + 50));
    expect(await inputErrorAsync(() => loadSpectrumImage(cut))).toBe(
      `${cut}: truncated data: shape (2, 3, 4) of '<f4' needs 96 bytes but the file holds 50`,
    );
    const four = file('four.npy', npyBytes(dictFor('<f4', [1, 1, 1, 2]), new Uint8Array(8)));
    expect(await inputErrorAsync(() => loadSpectrumImage(four))).toMatch(
      /four\.npy: expected a 3-D \[ny, nx, energy\] map.*got shape \(1, 1, 1, 2\)/,
    );
  });

  it('ragged CSV row with its line number', async () => {
    const p = file('ragged.csv', 'E,a,b\n1,2,3\n2,3\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(p))).toBe(
      `${p} line 3: 2 values where line 1 has 3 (ragged row)`,
    );
  });

  it('an energy axis that matches the first dimension of a cube: a stack saved energy-first, with the fix', async () => {
    const stack = file('txm.npy', encodeNpy(ramp(6 * 2 * 3), [6, 2, 3]));
    const e6 = file('e6.txt', '700\n701\n702\n703\n704\n705\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(stack, { energyFile: e6 }))).toBe(
      `${e6}: energy axis has 6 values, as many as the first dimension of ${stack} (shape (6, 2, 3)), but specmap reads the last as the energy: ` +
        'save the stack as [ny, nx, energy] with np.save(path, np.moveaxis(a, 0, -1))',
    );
  });

  it('a text table over 2 GiB is refused in one line that points to .npy (a sparse file: no disk used)', async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, 2.5 * 2 ** 30);
    try {
      expect(await inputErrorAsync(() => loadSpectrumImage(big))).toBe(
        `${big}: larger than 2 GiB, too big to read as text: save the spectra as .npy (read in chunks, any size)`,
      );
    } finally {
      rmSync(big);
    }
  });

  it('a table with one spectrum per row: refused with the option that reads it, and read with it', async () => {
    const rows = file('rows.csv', '700,701,702,703\n5,9,4,2\n6,8,3,1\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(rows))).toBe(
      `${rows}: the first column is not an energy axis (not monotonic) but the first row is: one spectrum per row? (CLI --rows-as-spectra, library rowsAsSpectra: true)`,
    );
    const img = await loadSpectrumImage(rows, { rowsAsSpectra: true });
    expect([img.nx, img.channels, Array.from(img.energy), Array.from(img.data)]).toEqual([
      2,
      4,
      [700, 701, 702, 703],
      [5, 9, 4, 2, 6, 8, 3, 1],
    ]);
  });

  it('energy axis of the wrong length (both numbers), non-monotonic, conflicting options', async () => {
    const cube = file('c3.npy', encodeNpy(ramp(2 * 2 * 4), [2, 2, 4]));
    const e5 = file('e5.txt', '1\n2\n3\n4\n5\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: e5 }))).toBe(
      `${e5}: energy axis has 5 values but the spectra in ${cube} have 4 channels`,
    );
    const zig = file('zig.txt', '1\n2\n1.5\n3\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: zig }))).toBe(
      `${zig}: energy axis is not monotonic at channel 2 (2 then 1.5, after 1)`,
    );
    const flat = file('flat.csv', 'E,I\n5,1\n5,2\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(flat))).toBe(
      `${flat}: energy axis is not monotonic at channel 1 (5 then 5)`,
    );
    const grid = file('grid.txt', '1 2\n3 4\n');
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: grid }))).toBe(
      `${grid}: an energy file must hold one column or one row of numbers, got 2 rows × 2 columns`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: e5, e0: 1, de: 1 }))).toBe(
      'give either an energy file or --e0/--de, not both',
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { e0: 1 }))).toBe(
      '--e0 and --de go together: give both',
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { e0: 1, de: 0 }))).toBe(
      "--de must be a non-zero number, not '0'",
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cube, { energyFile: join(dir, 'none.txt') }))).toBe(
      `${join(dir, 'none.txt')}: no such file`,
    );
  });
});
