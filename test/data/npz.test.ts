// .npz archives (np.savez: stored members; np.savez_compressed: deflated), built here with fflate
// and, for zip64, byte by byte (zip-bytes.ts); one optional cross-check against NumPy itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSpectrumImage } from '../../src/data/io/decode-spectra.js';
import { decodeEnergyAxis } from '../../src/data/io/energy-axis.js';
import { loadSpectrumImage } from '../../src/data/io/load.js';
import { encodeNpy, parseNpy } from '../../src/data/io/npy.js';
import { NpyStreamDecoder } from '../../src/data/io/npy-stream.js';
import { bytesSource, listNpzMembers } from '../../src/data/io/npz.js';
import { inputErrorAsync, inputErrorOf } from './input-error.js';
import { dictFor, npyBytes } from './npy-bytes.js';
import { crc32Bitwise, zipBytes } from './zip-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-npz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** A small deterministic generator (mulberry32): reproducible "random" sizes and values. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const [ny, nx, ch] = [3, 4, 5];
const cube = Float32Array.from({ length: ny * nx * ch }, (_, i) => ((i * 37) % 101) * 0.25 - 4);
const energy = Float64Array.from({ length: ch }, (_, i) => 700 + 0.5 * i);

/** An .npz as np.savez (level 0: stored) or np.savez_compressed (deflated) writes it. */
function npz(members: Record<string, Uint8Array>, level: 0 | 6): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(members).map(([k, v]) => [`${k}.npy`, [v, { level }]])));
}
const savez = (members: Record<string, Uint8Array>, level: 0 | 6 = 0) => npz(members, level);

describe('.npz: choosing and reading the member', () => {
  for (const [how, level] of [
    ['stored (np.savez)', 0],
    ['deflated (np.savez_compressed)', 6],
  ] as const) {
    it(`${how}: the only 2-D/3-D member is read; the file and member name the data; members listed`, async () => {
      const bytes = savez({ energy: encodeNpy(energy, [ch]), data: encodeNpy(cube, [ny, nx, ch]) }, level);
      const img = decodeSpectrumImage(bytes, 'scan.npz');
      expect([img.ny, img.nx, img.channels, img.layout]).toEqual([ny, nx, ch, 'map']);
      expect(Array.from(img.data)).toEqual(Array.from(cube));
      expect(img.meta).toMatchObject({
        source: 'scan.npz:data',
        file: 'scan.npz',
        dataset: 'data',
        container: 'npz',
        dtype: '<f4',
      });
      expect(img.meta.datasets).toEqual([
        { path: 'energy', shape: [ch], dtype: '<f8', numeric: true },
        { path: 'data', shape: [ny, nx, ch], dtype: '<f4', numeric: true },
      ]);
      // The Node loader, reading the file in place, with the energy axis from the same archive.
      const path = at(`scan-${level}.npz`);
      writeFileSync(path, bytes);
      const loaded = await loadSpectrumImage(path, { energyFile: `${path}:energy` });
      expect(Array.from(loaded.data)).toEqual(Array.from(cube));
      expect(Array.from(loaded.energy)).toEqual(Array.from(energy));
      expect(Array.from((await loadSpectrumImage(path, { energyFile: path })).energy)).toEqual(Array.from(energy)); // its only 1-D array
      expect(Array.from(decodeEnergyAxis(bytes, 'scan.npz').energy)).toEqual(Array.from(energy));
    });
  }

  it('--dataset picks a member by key (arr_0, arr_1 as np.savez names positional arrays) or file name; several candidates need it', async () => {
    const list = Float32Array.from({ length: 6 * 4 }, (_, i) => i * 1.5);
    const path = at('two.npz');
    writeFileSync(path, savez({ arr_0: encodeNpy(cube, [ny, nx, ch]), arr_1: encodeNpy(list, [6, 4]) }, 6));
    expect(await inputErrorAsync(() => loadSpectrumImage(path))).toBe(
      `${path}: 2 arrays could hold the spectra: arr_0 (3, 4, 5) <f4, arr_1 (6, 4) <f4; choose one with --dataset NAME`,
    );
    const one = await loadSpectrumImage(path, { dataset: 'arr_1' });
    expect([one.layout, one.nx, one.channels, one.meta.dataset]).toEqual(['list', 6, 4, 'arr_1']);
    expect(Array.from(one.data)).toEqual(Array.from(list));
    expect((await loadSpectrumImage(path, { dataset: 'arr_0.npy' })).meta.source).toBe(`${path}:arr_0`);
    expect(decodeSpectrumImage(readFileSync(path), 'two.npz', { dataset: 'arr_1' }).nx).toBe(6);
  });

  it('reads every dtype the .npy reader does, Fortran order and float16, from deflated members', () => {
    const f64 = Float64Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.PI * i - 7.1);
    const be = new Uint8Array(f64.length * 4);
    f64.forEach((v, i) => new DataView(be.buffer).setInt32(4 * i, Math.round(v * 100), false));
    // Column-major [2, 3, 4]: element (i, j, k) at i + 2 (j + 3 k).
    const fortran = new Uint8Array(24 * 8);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++)
          new DataView(fortran.buffer).setFloat64(8 * (i + 2 * (j + 3 * k)), f64[(i * 3 + j) * 4 + k]!, true);
    const half = new Uint8Array(24 * 2);
    for (let i = 0; i < 24; i++) new DataView(half.buffer).setUint16(2 * i, 0x3c00 + 64 * i, true); // 1, 1.0625, ... 1.9375, then 2, 2.125, ... (the exponent steps up)
    const cases: [string, Uint8Array, number[]][] = [
      ['>i4', npyBytes(dictFor('>i4', [2, 3, 4]), be), Array.from(f64, (v) => Math.round(v * 100))],
      ['fortran <f8', npyBytes(dictFor('<f8', [2, 3, 4], true), fortran), Array.from(f64, Math.fround)],
      [
        '<f2',
        npyBytes(dictFor('<f2', [2, 3, 4]), half),
        Array.from({ length: 24 }, (_, i) => (i < 16 ? 1 + i / 16 : 2 + (i - 16) / 8)),
      ],
    ];
    for (const [label, member, want] of cases) {
      const img = decodeSpectrumImage(savez({ m: member }, 6), 'd.npz');
      expect(Array.from(img.data), label).toEqual(want);
      expect([img.ny, img.nx, img.channels], label).toEqual([2, 3, 4]);
    }
  });

  it('a member of several MB, deflated and stored, crosses many inflate steps and read chunks intact', async () => {
    const r = rng(20261123);
    const n = 40 * 50 * 300;
    const big = Float64Array.from({ length: n }, (_, i) => (i % 300) + Math.round(r() * 8) / 8);
    for (const level of [0, 6] as const) {
      const path = at(`big-${level}.npz`);
      writeFileSync(path, savez({ stack: encodeNpy(big, [40, 50, 300]) }, level));
      const img = await loadSpectrumImage(path);
      expect(img.data.length).toBe(n);
      let bad = -1;
      for (let i = 0; i < n && bad < 0; i++) if (img.data[i] !== Math.fround(big[i]!)) bad = i;
      expect(bad, `level ${level}`).toBe(-1);
    }
  });

  it('zip64 (sizes and offsets in zip64 fields, a zip64 end record, as numpy writes big members): read in place', async () => {
    const bytes = zipBytes(
      [
        { name: 'energy.npy', data: encodeNpy(energy, [ch]) },
        { name: 'data.npy', data: encodeNpy(cube, [ny, nx, ch]) },
      ],
      { zip64: true, comment: 'written by hand' },
    );
    const path = at('z64.npz');
    writeFileSync(path, bytes);
    const img = await loadSpectrumImage(path, { energyFile: `${path}:energy` });
    expect(Array.from(img.data)).toEqual(Array.from(cube));
    expect(Array.from(img.energy)).toEqual(Array.from(energy));
    // A deflated member in the hand-built layout too.
    const raw = encodeNpy(cube, [ny, nx, ch]);
    const d = decodeSpectrumImage(
      zipBytes([{ name: 'data.npy', data: deflateSync(raw), size: raw.length, method: 8, crc: crc32Bitwise(raw) }], {
        zip64: true,
      }),
      'd64.npz',
    );
    expect(Array.from(d.data)).toEqual(Array.from(cube));
  });

  it("the stream decoder gives parseNpy's result for pieces of any size (seeded random cuts)", () => {
    const seed = 4242;
    const r = rng(seed);
    const v = Float64Array.from({ length: 7 * 11 }, () => r() * 100 - 50);
    const bytes = encodeNpy(v, [7, 11]);
    const want = Array.from(parseNpy(bytes, 'x.npy').data);
    for (let trial = 0; trial < 50; trial++) {
      const d = new NpyStreamDecoder('x.npy', bytes.length, (k) => new Float64Array(k));
      for (let p = 0; p < bytes.length;) {
        const step = 1 + Math.floor(r() * (r() < 0.5 ? 5 : 200));
        d.push(bytes.subarray(p, p + step));
        p += step;
      }
      expect(Array.from(d.finish().data), `seed ${seed} trial ${trial}`).toEqual(want);
    }
  });
});

describe('.npz errors: one line naming the file (and member)', () => {
  const data = encodeNpy(cube, [ny, nx, ch]);
  const strings = npyBytes(dictFor('<U3', [2]), new Uint8Array(24));

  it('a wrong --dataset lists the members with shapes; a non-numeric or 1-D member is refused by name', () => {
    const bytes = savez({ data, labels: strings, energy: encodeNpy(energy, [ch]) });
    expect(inputErrorOf(() => decodeSpectrumImage(bytes, 's.npz', { dataset: 'dta' }))).toBe(
      "s.npz: no member 'dta' (members: data (3, 4, 5) <f4, labels (2,) <U3, energy (5,) <f8)",
    );
    expect(inputErrorOf(() => decodeSpectrumImage(bytes, 's.npz', { dataset: 'labels' }))).toBe(
      's.npz: member labels holds <U3 values, not numbers (supported: integers, bool, float16/32/64)',
    );
    expect(inputErrorOf(() => decodeSpectrumImage(bytes, 's.npz', { dataset: 'energy' }))).toBe(
      's.npz: member energy has shape (5,): expected a 3-D [ny, nx, channels] map or a 2-D [spectra, channels] list',
    );
    const noSpectra = savez({ labels: strings, energy: encodeNpy(energy, [ch]) });
    expect(inputErrorOf(() => decodeSpectrumImage(noSpectra, 'n.npz'))).toBe(
      'n.npz: no numeric 2-D or 3-D array to read as spectra (members: labels (2,) <U3, energy (5,) <f8)',
    );
    const structured = savez({
      rec: npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(24)),
    });
    expect(inputErrorOf(() => decodeSpectrumImage(structured, 'r.npz'))).toBe(
      'r.npz: no numeric 2-D or 3-D array to read as spectra (members: rec (2, 3) structured)',
    );
  });

  it('the energy axis from a .npz: a missing, several, or a non-1-D member', async () => {
    const path = at('axes.npz');
    writeFileSync(path, savez({ data, e1: encodeNpy(energy, [ch]), e2: encodeNpy(energy, [ch]) }));
    const cubePath = at('cube.npy');
    writeFileSync(cubePath, data);
    expect(await inputErrorAsync(() => loadSpectrumImage(cubePath, { energyFile: path }))).toBe(
      `${path}: 2 1-D arrays to read as the energy axis (members: data (3, 4, 5) <f4, e1 (5,) <f8, e2 (5,) <f8); name one as --energy ${path}:NAME`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cubePath, { energyFile: `${path}:e3` }))).toBe(
      `${path}: no member 'e3' for the energy axis (members: data (3, 4, 5) <f4, e1 (5,) <f8, e2 (5,) <f8)`,
    );
    expect(await inputErrorAsync(() => loadSpectrumImage(cubePath, { energyFile: `${path}:data` }))).toBe(
      `${path}:data: an energy axis must be 1-D, got shape (3, 4, 5)`,
    );
    expect(Array.from((await loadSpectrumImage(cubePath, { energyFile: `${path}:e2` })).energy)).toEqual(
      Array.from(energy),
    );
  });

  it('not a zip, a cut-short zip, an empty file, a damaged directory, a truncated member', async () => {
    const good = savez({ data });
    expect(inputErrorOf(() => decodeSpectrumImage(new TextEncoder().encode('E,I\n1,2\n'), 't.npz'))).toBe(
      't.npz: not a zip archive as np.savez writes (no end-of-central-directory record)',
    );
    expect(inputErrorOf(() => decodeSpectrumImage(good.subarray(0, 200), 'cut.npz'))).toBe(
      'cut.npz: not a zip archive as np.savez writes (no end-of-central-directory record; the file is cut short)',
    );
    const empty = at('empty.npz');
    writeFileSync(empty, '');
    expect(await inputErrorAsync(() => loadSpectrumImage(empty))).toBe(`${empty}: the file is empty (0 bytes)`);
    const dirAt = new DataView(good.buffer).getUint32(good.length - 6, true);
    const damaged = good.slice();
    damaged[dirAt] = 0; // the directory entry's signature
    expect(inputErrorOf(() => decodeSpectrumImage(damaged, 'd.npz'))).toBe(
      'd.npz: corrupt zip archive (directory entry 1 of 1 is damaged)',
    );
    const badLocal = good.slice();
    badLocal[0] = 0;
    expect(inputErrorOf(() => decodeSpectrumImage(badLocal, 'l.npz'))).toBe(
      'l.npz: corrupt zip archive (no local header for member data.npy at byte 0)',
    );
    // zip64: the end record's locator points at something else; the directory lies past the end.
    const z64 = zipBytes([{ name: 'data.npy', data }], { zip64: true });
    const noRecord = z64.slice();
    noRecord[z64.length - 22 - 20 - 56] = 0; // the zip64 end record's signature
    expect(inputErrorOf(() => decodeSpectrumImage(noRecord, 'n.npz'))).toBe(
      'n.npz: corrupt zip archive (the zip64 end record is missing)',
    );
    const past = good.slice();
    new DataView(past.buffer).setUint32(past.length - 6, past.length, true); // the directory's offset
    expect(inputErrorOf(() => decodeSpectrumImage(past, 'p.npz'))).toMatch(
      /^p\.npz: corrupt zip archive \(the directory at byte \d+ \(\d+ bytes\) lies beyond the end of the file \(\d+ bytes\): truncated\?\)$/,
    );
    // A member whose .npy header promises more data than the member holds.
    const short = zipBytes([{ name: 'data.npy', data: data.subarray(0, data.length - 40) }]);
    expect(inputErrorOf(() => decodeSpectrumImage(short, 's.npz'))).toBe(
      "s.npz:data: truncated data: shape (3, 4, 5) of '<f4' needs 240 bytes but the file holds 200",
    );
  });

  it('a member whose data do not match the CRC-32 its directory records is refused (stored and deflated), as NumPy refuses it', () => {
    const flipped = zipBytes([{ name: 'data.npy', data }]);
    const at = 30 + 'data.npy'.length + data.length - 3; // a byte of the last value
    flipped[at] = flipped[at]! ^ 0x10;
    expect(inputErrorOf(() => decodeSpectrumImage(flipped, 'f.npz'))).toMatch(
      /^f\.npz:data: the member's data do not match its CRC-32 \(recorded 0x[0-9a-f]{8}, read 0x[0-9a-f]{8}\): the archive is damaged$/,
    );
    const raw = deflateSync(data);
    expect(
      decodeSpectrumImage(
        zipBytes([{ name: 'data.npy', data: raw, size: data.length, method: 8, crc: crc32Bitwise(data) }]),
        'ok.npz',
      ).data.length,
    ).toBe(60);
    const wrongCrc = zipBytes([
      { name: 'data.npy', data: raw, size: data.length, method: 8, crc: crc32Bitwise(data) ^ 1 },
    ]);
    expect(inputErrorOf(() => decodeSpectrumImage(wrongCrc, 'w.npz'))).toMatch(
      /^w\.npz:data: the member's data do not match its CRC-32/,
    );
    // Listing members (info) reads headers only and does not need the whole member.
    expect(() => listNpzMembers(bytesSource(flipped), 'f.npz')).not.toThrow();
  });

  it('a flipped byte anywhere in a member, its .npy header included, is reported as the CRC mismatch naming the file and member', async () => {
    const crcError = (file: string, member: string) =>
      new RegExp(
        `^${file.replace(/[.\\/]/g, '\\$&')}:${member}: the member's data do not match its CRC-32 \\(recorded 0x[0-9a-f]{8}, read 0x[0-9a-f]{8}\\): the archive is damaged$`,
      );
    const headerLength = 10 + new DataView(data.buffer, data.byteOffset).getUint16(8, true); // version 1.0: magic, version, length, dict
    expect(headerLength).toBe(128);
    const axis = encodeNpy(energy, [ch]);
    const stored = zipBytes([
      { name: 'energy.npy', data: axis },
      { name: 'data.npy', data },
    ]);
    const dataStart = stored.length - data.length - 22 - 2 * 46 - 'energy.npy'.length - 'data.npy'.length;
    expect(Array.from(stored.subarray(dataStart, dataStart + 6))).toEqual(Array.from(data.subarray(0, 6)));
    // Every byte of the header (magic, version, length field, the dict, its padding), three flips
    // each, and bytes spread over the data: each is the CRC error, never 'malformed .npy header'.
    const positions = [
      ...Array.from({ length: headerLength }, (_, i) => i),
      headerLength,
      headerLength + 37,
      data.length - 1,
    ];
    for (const i of positions) {
      for (const bit of [0x01, 0x10, 0x80]) {
        const bad = stored.slice();
        bad[dataStart + i] = bad[dataStart + i]! ^ bit;
        expect(
          inputErrorOf(() => decodeSpectrumImage(bad, 'f.npz')),
          `byte ${i} ^ ${bit}`,
        ).toMatch(crcError('f.npz', 'data'));
      }
    }
    // The same through the Node loader (the file read in place), for the spectra and for the axis member.
    const headerFlip = stored.slice();
    headerFlip[dataStart + 20] = headerFlip[dataStart + 20]! ^ 0x10; // inside {'descr': '<f4', ...
    const path = at('header-flip.npz');
    writeFileSync(path, headerFlip);
    expect(await inputErrorAsync(() => loadSpectrumImage(path, { dataset: 'data' }))).toMatch(crcError(path, 'data'));
    const axisFlip = stored.slice();
    axisFlip[30 + 'energy.npy'.length + 30] = axisFlip[30 + 'energy.npy'.length + 30]! ^ 0x01;
    const axisPath = at('axis-flip.npz');
    writeFileSync(axisPath, axisFlip);
    expect(
      await inputErrorAsync(() => loadSpectrumImage(axisPath, { dataset: 'data', energyFile: `${axisPath}:energy` })),
    ).toMatch(crcError(axisPath, 'energy'));
    // A deflated member (np.savez_compressed) whose inflated header differs from what was written.
    const damagedNpy = data.slice();
    damagedNpy[12] = damagedNpy[12]! ^ 0x04;
    const deflated = zipBytes([
      { name: 'data.npy', data: deflateSync(damagedNpy), size: data.length, method: 8, crc: crc32Bitwise(data) },
    ]);
    expect(inputErrorOf(() => decodeSpectrumImage(deflated, 'c.npz'))).toMatch(crcError('c.npz', 'data'));
    // An intact member that is not numeric is listed (and refused by name), not called damaged.
    const text = npyBytes(dictFor('<U3', [2]), new Uint8Array(24));
    const withText = zipBytes([
      { name: 'labels.npy', data: text },
      { name: 'data.npy', data },
    ]);
    expect(listNpzMembers(bytesSource(withText), 't.npz').map((m) => [m.path, m.numeric])).toEqual([
      ['labels', false],
      ['data', true],
    ]);
    expect(inputErrorOf(() => decodeSpectrumImage(withText, 't.npz', { dataset: 'labels' }))).toMatch(
      /^t\.npz: member labels holds <U3 values, not numbers/,
    );
  });

  it('corrupt deflated data, a member beyond the end of the file, an unknown compression method', () => {
    const raw = deflateSync(data);
    const broken = raw.slice();
    broken[0] = 0xff; // block type 3: reserved, invalid in any deflate stream
    expect(
      inputErrorOf(() =>
        decodeSpectrumImage(zipBytes([{ name: 'data.npy', data: broken, size: data.length, method: 8 }]), 'c.npz'),
      ),
    ).toMatch(/^c\.npz:data: corrupt deflated data \(.+\)$/);
    // The inflated stream ends before the .npy's data do.
    const cut = deflateSync(data.subarray(0, 150));
    expect(
      inputErrorOf(() =>
        decodeSpectrumImage(zipBytes([{ name: 'data.npy', data: cut, size: data.length, method: 8 }]), 'e.npz'),
      ),
    ).toBe("e.npz:data: truncated data: shape (3, 4, 5) of '<f4' needs 240 bytes but the file holds 22");
    const big = zipBytes([{ name: 'data.npy', data }]);
    const lying = big.slice();
    const dirAt = new DataView(lying.buffer).getUint32(lying.length - 6, true);
    new DataView(lying.buffer).setUint32(dirAt + 20, data.length + 1000, true); // compressed size
    new DataView(lying.buffer).setUint32(dirAt + 24, data.length + 1000, true);
    expect(inputErrorOf(() => decodeSpectrumImage(lying, 'b.npz'))).toMatch(
      /^b\.npz: corrupt zip archive \(member data\.npy needs 1368 bytes from byte 38 but the file holds \d+: truncated\?\)$/,
    );
    const bzip = zipBytes([{ name: 'data.npy', data }]);
    const dirB = new DataView(bzip.buffer).getUint32(bzip.length - 6, true);
    new DataView(bzip.buffer).setUint16(dirB + 10, 12, true); // bzip2
    expect(inputErrorOf(() => decodeSpectrumImage(bzip, 'z.npz'))).toBe(
      'z.npz:data: compression method 12 is not supported (np.savez stores, np.savez_compressed deflates)',
    );
  });

  it('--dataset on a .npy or a table is refused, naming both kinds of file it applies to', async () => {
    const p = at('plain.npy');
    writeFileSync(p, data);
    expect(await inputErrorAsync(() => loadSpectrumImage(p, { dataset: 'data' }))).toBe(
      `--dataset names a dataset in an HDF5 file or an array in a .npz, but ${p} is neither (.npy)`,
    );
  });
});

/** NumPy at /usr/bin/python3, when it is there (the tests above do not need it). */
function numpyAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!numpyAvailable())('.npz written by NumPy itself (np.savez and np.savez_compressed)', () => {
  it('reads the arrays NumPy wrote, with the values NumPy computed', async () => {
    const script = `
import numpy as np, sys
a = (np.arange(4*5*6).reshape(4, 5, 6) * 0.37 - 3).astype('<f4')
e = np.linspace(280, 285, 6)
np.savez(sys.argv[1] + '/np-s.npz', spectra=a, energy=e)
np.savez_compressed(sys.argv[1] + '/np-c.npz', a.astype('>f8'), np.asfortranarray(a[:, :, :3]).astype('<f2'))
np.save(sys.argv[1] + '/np-a.npy', a)
`;
    execFileSync('/usr/bin/python3', ['-c', script, dir]);
    const want = Array.from(parseNpy(readFileSync(at('np-a.npy')), 'np-a.npy').data);
    const s = await loadSpectrumImage(at('np-s.npz'), { energyFile: `${at('np-s.npz')}:energy` });
    expect(Array.from(s.data)).toEqual(want);
    expect(s.energy[5]).toBe(285);
    const c = await loadSpectrumImage(at('np-c.npz'), { dataset: 'arr_0' });
    expect(Array.from(c.data)).toEqual(want);
    const h = await loadSpectrumImage(at('np-c.npz'), { dataset: 'arr_1' });
    expect(h.meta.dtype).toBe('<f2');
    expect(h.channels).toBe(3);
    want.forEach((v, i) => {
      if (i % 6 < 3)
        expect(Math.abs(h.data[Math.floor(i / 6) * 3 + (i % 6)]! - v)).toBeLessThanOrEqual(
          Math.abs(v) * 2 ** -11 + 1e-7,
        );
    });
  });
});
