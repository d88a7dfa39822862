// Files that carry their energy calibration: HyperSpy .hspy (h5wasm-written here, and by h5py
// when /usr/bin/python3 has it), HyperSpy-written NeXus, EMSA/MAS text spectra, Velox-style
// column spectra; and the one-line refusals of instrument formats and missing files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset, Group } from 'h5wasm/node';
import { decodeSpectrumImage } from '../../src/data/io/decode-spectra.js';
import { parseEmsa } from '../../src/data/io/emsa.js';
import { loadSpectrumImage } from '../../src/data/io/load.js';
import { encodeNpy } from '../../src/data/io/npy.js';
import { dataset, writeH5 } from './hdf5-write.js';
import { inputErrorAsync, inputErrorOf } from './input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-calibrated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 29) % 53) + 0.25);

interface Axis {
  name: string;
  units: string;
  navigate: number;
  offset: number;
  scale: number;
}

/** /Experiments/<title>/data with one axis-i group per dimension, as HyperSpy writes them. */
function hspyTree(
  f: Parameters<Parameters<typeof writeH5>[1]>[0],
  title: string,
  data: Float32Array,
  shape: number[],
  axes: Axis[],
): Group {
  if (!('file_format' in f.attrs)) f.create_attribute('file_format', 'HyperSpy');
  const exp = f.keys().includes('Experiments') ? (f.get('Experiments') as Group) : f.create_group('Experiments');
  const g = exp.create_group(title);
  dataset(g, 'data', data, shape);
  axes.forEach((a, i) => {
    const ax = g.create_group(`axis-${i}`);
    ax.create_attribute('name', a.name);
    ax.create_attribute('units', a.units);
    ax.create_attribute('navigate', a.navigate);
    ax.create_attribute('offset', a.offset);
    ax.create_attribute('scale', a.scale);
    ax.create_attribute('size', shape[i]!);
  });
  return g;
}

const nav = (name: string): Axis => ({ name, units: 'nm', navigate: 1, offset: 0, scale: 2 });
const energyAxis: Axis = { name: 'Energy', units: 'keV', navigate: 0, offset: -0.2, scale: 0.01 };

describe('HyperSpy .hspy', () => {
  it('reads a map with its energy axis (offset, scale) and unit, without --dataset', async () => {
    const v = ramp(2 * 3 * 5);
    const p = await writeH5(at('map.hspy'), (f) =>
      hspyTree(f, 'EDS map', v, [2, 3, 5], [nav('y'), nav('x'), energyAxis]),
    );
    const img = await loadSpectrumImage(p);
    expect([img.ny, img.nx, img.channels, img.layout, img.energyUnit]).toEqual([2, 3, 5, 'map', 'keV']);
    expect(Array.from(img.energy)).toEqual([0, 1, 2, 3, 4].map((i) => -0.2 + i * 0.01));
    expect(Array.from(img.data)).toEqual(Array.from(v));
    expect(img.meta.dataset).toBe('/Experiments/EDS map/data');
    // The user's axis and unit still win.
    const own = await loadSpectrumImage(p, { e0: 1, de: 1, energyUnit: 'eV' });
    expect([Array.from(own.energy), own.energyUnit]).toEqual([[1, 2, 3, 4, 5], 'eV']);
    const unit = await loadSpectrumImage(p, { energyUnit: 'eV' });
    expect([unit.energy[0], unit.energyUnit]).toEqual([-0.2, 'eV']);
  });

  it('reads a 1-D spectrum as one spectrum, as a 1-D .npy is', async () => {
    const v = ramp(7);
    const p = await writeH5(at('one.hspy'), (f) =>
      hspyTree(f, 'spectrum', v, [7], [{ ...energyAxis, units: 'eV', offset: 100, scale: 0.5 }]),
    );
    const img = await loadSpectrumImage(p);
    expect([img.ny, img.nx, img.channels, img.layout, img.energyUnit]).toEqual([1, 1, 7, 'list', 'eV']);
    expect(img.energy[6]).toBe(103);
    expect(Array.from(img.data)).toEqual(Array.from(v));
  });

  it('refuses images (two signal axes) and a signal axis that is not last, in one line', async () => {
    const img = await writeH5(at('image.hspy'), (f) =>
      hspyTree(
        f,
        'HAADF',
        ramp(12),
        [3, 4],
        [
          { ...nav('y'), navigate: 0 },
          { ...nav('x'), navigate: 0 },
        ],
      ),
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(img))).toBe(
      `${img}:/Experiments/HAADF/data: a HyperSpy signal with 2 signal axes (axis-0 'y', axis-1 'x'): images, not spectra; specmap reads spectra (Signal1D)`,
    );
    const first = await writeH5(at('efirst.hspy'), (f) =>
      hspyTree(f, 'stack', ramp(24), [4, 2, 3], [energyAxis, nav('y'), nav('x')]),
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(first))).toBe(
      `${first}:/Experiments/stack/data: the HyperSpy signal axis axis-0 'Energy' is dimension 0 of 3; specmap reads spectra with energy last: in HyperSpy, s.as_signal1D(0).save(...)`,
    );
  });

  it('lists several signals and reads the one --dataset names with its axis', async () => {
    const p = await writeH5(at('two.hspy'), (f) => {
      hspyTree(f, 'a', ramp(10), [2, 5], [nav('x'), energyAxis]);
      hspyTree(f, 'b', ramp(10), [2, 5], [nav('x'), { ...energyAxis, offset: 5 }]);
    });
    expect(await inputErrorAsync(() => loadSpectrumImage(p))).toBe(
      `${p}: 2 HyperSpy signals: /Experiments/a/data, /Experiments/b/data; choose one with --dataset PATH`,
    );
    const b = await loadSpectrumImage(p, { dataset: '/Experiments/b/data' });
    expect([b.energy[0], b.energyUnit, b.nx]).toEqual([5, 'keV', 2]);
  });
});

describe('HyperSpy-written NeXus', () => {
  it('opens without --dataset: the only NXdata group with a @signal, its @axes giving the axis and unit', async () => {
    const p = await writeH5(at('hs.nxs'), (f) => {
      const entry = f.create_group('entry1');
      entry.create_attribute('NX_class', 'NXentry');
      const g = entry.create_group('EDS map');
      g.create_attribute('NX_class', 'NXdata');
      g.create_attribute('signal', 'data');
      g.create_attribute('axes', ['.', '.', 'Energy']);
      dataset(g, 'data', ramp(2 * 2 * 4), [2, 2, 4]);
      g.create_dataset({ name: 'Energy', data: Float64Array.from([1, 1.5, 2, 2.5]) });
      (g.get('Energy') as Dataset).create_attribute('units', 'keV');
      // learning results beside it: another 2-D array that is not the signal
      const aux = entry.create_group('auxiliary');
      dataset(aux, 'factors', ramp(8), [2, 4]);
    });
    const img = await loadSpectrumImage(p);
    expect([img.meta.dataset, img.energyUnit, Array.from(img.energy)]).toEqual([
      '/entry1/EDS map/data',
      'keV',
      [1, 1.5, 2, 2.5],
    ]);
  });
});

describe('column spectra and shapes that cannot be spectra', () => {
  it('reads a (n, 1) dataset (as Velox .emd stores a spectrum) as one spectrum of n channels', async () => {
    const v = ramp(64);
    const p = await writeH5(at('velox.emd'), (f) => dataset(f.create_group('Data'), 'Data', v, [64, 1]));
    const img = await loadSpectrumImage(p, { dataset: '/Data/Data' });
    expect([img.ny, img.nx, img.channels]).toEqual([1, 1, 64]);
    expect(Array.from(img.data)).toEqual(Array.from(v));
    const npy = at('column.npy');
    writeFileSync(npy, encodeNpy(v, [64, 1]));
    expect((await loadSpectrumImage(npy)).channels).toBe(64);
  });

  it('refuses a map with one value per pixel', async () => {
    const npy = at('flat.npy');
    writeFileSync(npy, encodeNpy(ramp(6), [2, 3, 1]));
    expect(await inputErrorAsync(() => loadSpectrumImage(npy))).toBe(
      `${npy}: shape (2, 3, 1) holds one value per pixel, not spectra (specmap reads [ny, nx, channels] with energy last)`,
    );
  });
});

const EMSA_Y = `#FORMAT      : EMSA/MAS Spectral Data File
#VERSION     : 1.0
#TITLE       : FePt
#NPOINTS     : 6.
#NCOLUMNS    : 4.
#XUNITS      : keV
#YUNITS      : counts
#DATATYPE    : Y
#XPERCHAN    : 0.01
#OFFSET      : -0.02
#BEAMKV   -kV: 200.0
#SPECTRUM    : Spectral Data Starts Here
 1.0, 2.0, 3.0, 4.0,
 5.0, 6.0,
#ENDOFDATA   :
`;

describe('EMSA/MAS', () => {
  it('reads Y data with #OFFSET + i·#XPERCHAN and #XUNITS; XY data with their own energies', () => {
    const e = parseEmsa(EMSA_Y, 's.msa');
    expect(Array.from(e.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(e.energy)).toEqual([0, 1, 2, 3, 4, 5].map((i) => -0.02 + i * 0.01));
    expect([e.unit, e.header.BEAMKV]).toEqual(['keV', '200.0']);
    const img = decodeSpectrumImage(new TextEncoder().encode(EMSA_Y), 's.msa');
    expect([img.ny, img.nx, img.channels, img.energyUnit, img.meta.format]).toEqual([1, 1, 6, 'keV', 'emsa']);
    const xy = EMSA_Y.replace('#DATATYPE    : Y', '#DATATYPE    : XY').replace(
      / 1\.0, 2\.0, 3\.0, 4\.0,\n 5\.0, 6\.0,/,
      '280.0, 10\n280.5, 20\n281.0, 30\n281.5, 40\n282.0, 50\n282.5, 60',
    );
    const x = decodeSpectrumImage(
      new TextEncoder().encode(xy.replace('#XUNITS      : keV', '#XUNITS      : eV')),
      'x.ems',
    );
    expect([Array.from(x.energy), Array.from(x.data), x.energyUnit]).toEqual([
      [280, 280.5, 281, 281.5, 282, 282.5],
      [10, 20, 30, 40, 50, 60],
      'eV',
    ]);
  });

  it('refuses what is not a readable EMSA spectrum, in one line naming the file', () => {
    const bad = (text: string) => inputErrorOf(() => parseEmsa(text, 'b.msa'));
    expect(bad(EMSA_Y.replace('#NPOINTS     : 6.', '#NPOINTS     : 7.'))).toBe(
      'b.msa: #NPOINTS says 7 channels but the data hold 6',
    );
    expect(bad(EMSA_Y.replace('#XPERCHAN    : 0.01\n', ''))).toBe(
      'b.msa: Y data need #XPERCHAN (the energy step per channel)',
    );
    expect(bad(EMSA_Y.replace('#FORMAT      : EMSA/MAS Spectral Data File\n', ''))).toBe(
      "b.msa: not an EMSA/MAS spectrum (no '#FORMAT : EMSA/MAS Spectral Data File' line)",
    );
    expect(bad(EMSA_Y.replace('5.0, 6.0', '5.0, x6'))).toBe("b.msa line 14: 'x6' is not a number");
    expect(bad(EMSA_Y.replace('#SPECTRUM    : Spectral Data Starts Here\n', ''))).toBe(
      'b.msa line 12: a data line before #SPECTRUM',
    );
  });
});

describe('files specmap does not read', () => {
  it('names the instrument format and the two HyperSpy lines that convert it to .hspy', async () => {
    const p = at('sample 1.bcf');
    writeFileSync(p, 'not really bruker');
    expect(await inputErrorAsync(() => loadSpectrumImage(p))).toBe(
      `${p}: a Bruker Esprit spectrum image (.bcf), which specmap does not read: convert it to .hspy with HyperSpy (RosettaSciIO) in Python: import hyperspy.api as hs; hs.load('sample 1.bcf')[-1].save('sample 1.hspy') — then specmap reads sample 1.hspy with its energy axis`,
    );
    for (const ext of ['.dm3', '.dm4', '.emi', '.ser', '.spx', '.pts']) {
      const q = at(`x${ext}`);
      writeFileSync(q, 'x');
      expect(await inputErrorAsync(() => loadSpectrumImage(q))).toMatch(
        /which specmap does not read: convert it to \.hspy/,
      );
    }
  });

  it('says "no such file" for a missing file whatever its extension', async () => {
    for (const name of ['gone.bcf', 'gone.xyz', 'gone.npy', 'gone.hspy', 'gone'])
      expect(await inputErrorAsync(() => loadSpectrumImage(at(name)))).toBe(`${at(name)}: no such file`);
  });
});

/** h5py at /usr/bin/python3, when it is there (the tests above do not need it). */
function h5pyAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!h5pyAvailable())('.hspy written by h5py in HyperSpy 3.x layout (navigate as h5py bools)', () => {
  it('reads the axis h5py wrote', async () => {
    const script = `
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], 'w') as f:
    f.attrs['file_format'] = 'HyperSpy'
    f.attrs['file_format_version'] = '3.1'
    g = f.create_group('Experiments/__unnamed__')
    g.create_dataset('data', data=np.arange(2 * 3 * 4, dtype='<u2').reshape(2, 3, 4))
    for i, (name, units, navigate, scale, offset, size) in enumerate(
            [('y', 'nm', True, 1.0, 0.0, 2), ('x', 'nm', True, 1.0, 0.0, 3), ('Energy', 'keV', False, 0.02, 1.0, 4)]):
        a = g.create_group('axis-%d' % i)
        a.attrs['name'] = name
        a.attrs['units'] = units
        a.attrs['navigate'] = navigate
        a.attrs['scale'] = scale
        a.attrs['offset'] = offset
        a.attrs['size'] = size
`;
    const p = at('h5py.hspy');
    execFileSync('/usr/bin/python3', ['-c', script, p]);
    const img = await loadSpectrumImage(p);
    expect([img.ny, img.nx, img.channels, img.energyUnit]).toEqual([2, 3, 4, 'keV']);
    expect(Array.from(img.energy)).toEqual([1, 1.02, 1.04, 1.06].map((_, i) => 1 + i * 0.02));
    expect(Array.from(img.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
});

/** HyperSpy at /usr/bin/python3 (Debian's python3-hyperspy), when it is there. */
function hyperspyAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import hyperspy.api'], { stdio: 'ignore', timeout: 120_000 });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hyperspyAvailable())('files HyperSpy itself wrote (.hspy map and spectrum, NeXus)', () => {
  it('reads the values, energy axis and unit HyperSpy saved', { timeout: 180_000 }, async () => {
    const script = `
import numpy as np, sys, hyperspy.api as hs
d = sys.argv[1]
s = hs.signals.Signal1D((np.arange(2 * 3 * 40).reshape(2, 3, 40) * 0.25).astype('f4'))
ax = s.axes_manager[-1]
ax.name, ax.units, ax.offset, ax.scale = 'Energy', 'keV', 0.1, 0.02
s.metadata.General.title = 'EDS'
s.save(d + '/hs.hspy', overwrite=True)
s.save(d + '/hs.nxs', overwrite=True)
s.inav[1, 0].save(d + '/hs-one.hspy', overwrite=True)
`;
    execFileSync('/usr/bin/python3', ['-c', script, dir], { timeout: 150_000 });
    const want = Array.from({ length: 240 }, (_, i) => i * 0.25);
    const energy = Array.from({ length: 40 }, (_, i) => 0.1 + i * 0.02);
    for (const name of ['hs.hspy', 'hs.nxs']) {
      const img = await loadSpectrumImage(at(name));
      expect([img.ny, img.nx, img.channels, img.energyUnit]).toEqual([2, 3, 40, 'keV']);
      expect(Array.from(img.data)).toEqual(want);
      img.energy.forEach((e, i) => expect(e).toBeCloseTo(energy[i]!, 12));
    }
    const one = await loadSpectrumImage(at('hs-one.hspy'));
    expect([one.channels, one.nx, one.energyUnit]).toEqual([40, 1, 'keV']);
    expect(Array.from(one.data)).toEqual(want.slice(40, 80));
  });
});
