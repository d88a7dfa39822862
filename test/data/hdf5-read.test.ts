// Reading an HDF5 dataset in hyperslabs: every way of cutting it gives the whole dataset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDatasets, withHdf5File } from '../../src/data/io/hdf5-file.js';
import { readSpectraFloat32 } from '../../src/data/io/hdf5-spectra.js';
import { writeH5 } from './hdf5-write.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-hdf5-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSpectraFloat32', () => {
  it('reads a map in slabs of whole rows, of part rows, and of single spectra; a list in blocks; chunked and compressed storage', async () => {
    const [ny, nx, c] = [7, 5, 6];
    const cube = Float64Array.from({ length: ny * nx * c }, (_, i) => Math.sin(i) * 1000 + i);
    const list = Int16Array.from({ length: 11 * c }, (_, i) => ((i * 131) % 3000) - 1500);
    const p = await writeH5(join(dir, 'slabs.h5'), (f) => {
      f.create_dataset({ name: 'cube', data: cube, shape: [ny, nx, c] });
      f.create_dataset({ name: 'packed', data: cube, shape: [ny, nx, c], chunks: [2, 3, c], compression: 'gzip' });
      f.create_dataset({ name: 'list', data: list, shape: [11, c] });
    });
    await withHdf5File(p, (file) => {
      const info = Object.fromEntries(listDatasets(file).map((d) => [d.path, d]));
      const spectrum = c * 8;
      // 16 MiB (all at once), 2 rows (+ a last part slab), 3 spectra of a row, 1 spectrum, less than one.
      for (const bytes of [1 << 24, 2 * nx * spectrum, 3 * spectrum, spectrum, 8]) {
        for (const name of ['/cube', '/packed'])
          expect(Array.from(readSpectraFloat32(file, info[name]!, bytes)), `${name} in ${bytes}-byte slabs`).toEqual(
            Array.from(cube, Math.fround),
          );
      }
      for (const bytes of [1 << 24, 4 * c * 2, 2])
        expect(Array.from(readSpectraFloat32(file, info['/list']!, bytes))).toEqual(Array.from(list));
    });
  });
});
