import { describe, expect, it } from 'vitest';
import { inputErrorOf } from './input-error.js';
import { encodeNpy, parseNpy } from '../../src/data/io/npy.js';
import { dictFor, npyBytes } from './npy-bytes.js';

type Setter = (v: DataView, off: number, x: number, le: boolean) => void;
const DTYPES: { descr: string; size: number; set: Setter; values: number[] }[] = [
  { descr: '<f4', size: 4, set: (v, o, x, le) => v.setFloat32(o, x, le), values: [1.5, -2.25, 3e-8, 6.5e6, 0, -0.125] },
  { descr: '>f4', size: 4, set: (v, o, x, le) => v.setFloat32(o, x, le), values: [1.5, -2.25, 3e-8, 6.5e6, 0, -0.125] },
  { descr: '<f8', size: 8, set: (v, o, x, le) => v.setFloat64(o, x, le), values: [0.1, -1e300, 2.5, 1 / 3, 0, 7] },
  { descr: '>f8', size: 8, set: (v, o, x, le) => v.setFloat64(o, x, le), values: [0.1, -1e300, 2.5, 1 / 3, 0, 7] },
  { descr: '<i1', size: 1, set: (v, o, x) => v.setInt8(o, x), values: [-128, 127, 0, -1, 5, 9] },
  { descr: '|i1', size: 1, set: (v, o, x) => v.setInt8(o, x), values: [-128, 127, 0, -1, 5, 9] },
  { descr: '<i2', size: 2, set: (v, o, x, le) => v.setInt16(o, x, le), values: [-32768, 32767, 0, -1, 300, 9] },
  {
    descr: '<i4',
    size: 4,
    set: (v, o, x, le) => v.setInt32(o, x, le),
    values: [-2147483648, 2147483647, 0, -1, 70000, 9],
  },
  {
    descr: '>i4',
    size: 4,
    set: (v, o, x, le) => v.setInt32(o, x, le),
    values: [-2147483648, 2147483647, 0, -1, 70000, 9],
  },
  {
    descr: '<i8',
    size: 8,
    set: (v, o, x, le) => v.setBigInt64(o, BigInt(x), le),
    values: [-(2 ** 53), 2 ** 53, 0, -1, 1e12, 9],
  },
  { descr: '<u1', size: 1, set: (v, o, x) => v.setUint8(o, x), values: [0, 255, 1, 128, 7, 9] },
  { descr: '|u1', size: 1, set: (v, o, x) => v.setUint8(o, x), values: [0, 255, 1, 128, 7, 9] },
  { descr: '<u2', size: 2, set: (v, o, x, le) => v.setUint16(o, x, le), values: [0, 65535, 1, 40000, 7, 9] },
  { descr: '<u4', size: 4, set: (v, o, x, le) => v.setUint32(o, x, le), values: [0, 4294967295, 1, 3e9, 7, 9] },
  {
    descr: '<u8',
    size: 8,
    set: (v, o, x, le) => v.setBigUint64(o, BigInt(x), le),
    values: [0, 2 ** 53, 1, 3e15, 7, 9],
  },
  { descr: '|b1', size: 1, set: (v, o, x) => v.setUint8(o, x), values: [0, 1, 1, 0, 1, 0] },
];

function payload(size: number, set: Setter, values: number[], le: boolean): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => set(view, i * size, x, le));
  return out;
}

describe('parseNpy', () => {
  for (const t of DTYPES) {
    it(`reads ${t.descr} with shape (2, 3)`, () => {
      const bytes = npyBytes(dictFor(t.descr, [2, 3]), payload(t.size, t.set, t.values, t.descr[0] !== '>'));
      const arr = parseNpy(bytes, 'a.npy');
      expect(arr.shape).toEqual([2, 3]);
      expect(arr.dtype).toBe(t.descr);
      const expected = t.descr.includes('f4') ? t.values.map(Math.fround) : t.values;
      expect(Array.from(arr.data)).toEqual(expected);
    });
  }

  it('reads format versions 2.0 and 3.0 (utf-8 header)', () => {
    const body = payload(4, (v, o, x, le) => v.setFloat32(o, x, le), [1, 2, 3, 4], true);
    for (const version of [2, 3] as const) {
      const arr = parseNpy(npyBytes(dictFor('<f4', [4]), body, { version }), 'v.npy');
      expect(Array.from(arr.data)).toEqual([1, 2, 3, 4]);
      expect(arr.shape).toEqual([4]);
    }
  });

  it('reads an unpadded header, a 3-D shape and bytes at an odd offset', () => {
    const values = Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);
    const bytes = npyBytes(
      dictFor('<f4', [2, 3, 4]),
      payload(4, (v, o, x, le) => v.setFloat32(o, x, le), values, true),
      { pad: false },
    );
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const arr = parseNpy(shifted.subarray(3), 'odd.npy');
    expect(arr.shape).toEqual([2, 3, 4]);
    expect(Array.from(arr.data)).toEqual(values);
  });

  it('accepts Fortran order when only one dimension exceeds 1 (same bytes as C order)', () => {
    const arr = parseNpy(
      npyBytes(
        dictFor('<i2', [1, 3], true),
        payload(2, (v, o, x, le) => v.setInt16(o, x, le), [4, 5, 6], true),
      ),
      'f.npy',
    );
    expect(Array.from(arr.data)).toEqual([4, 5, 6]);
  });

  it('reads a Fortran-order array (np.save of a transposed array) into C order', () => {
    const shape = [3, 4, 5];
    // Element [i, j, k] holds 100 i + 10 j + k; in Fortran order it sits at i + 3 (j + 4 k).
    const fortran = new Array<number>(60);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) for (let k = 0; k < 5; k++) fortran[i + 3 * (j + 4 * k)] = 100 * i + 10 * j + k;
    const arr = parseNpy(
      npyBytes(
        dictFor('>f8', shape, true),
        payload(8, (v, o, x, le) => v.setFloat64(o, x, le), fortran, false),
      ),
      'cube.npy',
    );
    expect(arr.shape).toEqual(shape);
    const expected: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) for (let k = 0; k < 5; k++) expected.push(100 * i + 10 * j + k);
    expect(Array.from(arr.data)).toEqual(expected);
    const twoD = parseNpy(
      npyBytes(
        dictFor('<i2', [2, 3], true),
        payload(2, (v, o, x, le) => v.setInt16(o, x, le), [1, 4, 2, 5, 3, 6], true),
      ),
      'm.npy',
    );
    expect(Array.from(twoD.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a missing magic string, an unknown version, a malformed header and an unsupported dtype', () => {
    expect(inputErrorOf(() => parseNpy(new TextEncoder().encode('hello world, not numpy'), 'x.npy'))).toMatch(
      /^x\.npy: not a \.npy file/,
    );
    const v9 = npyBytes(dictFor('<f4', [1]), new Uint8Array(4));
    v9[6] = 9;
    expect(inputErrorOf(() => parseNpy(v9, 'x.npy'))).toMatch(/^x\.npy: unsupported \.npy format version 9\.0/);
    expect(
      inputErrorOf(() => parseNpy(npyBytes("{'descr': '<f4', 'shape': (2,), }", new Uint8Array(8)), 'x.npy')),
    ).toMatch(/^x\.npy: malformed \.npy header \(no 'fortran_order'\)/);
    expect(
      inputErrorOf(() =>
        parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", new Uint8Array(8)), 'x.npy'),
      ),
    ).toMatch(/^x\.npy: malformed \.npy header \(shape entry '-1'/);
    expect(inputErrorOf(() => parseNpy(npyBytes(dictFor('<c8', [1]), new Uint8Array(8)), 'x.npy'))).toMatch(
      /^x\.npy: unsupported dtype '<c8'/,
    );
    expect(
      inputErrorOf(() =>
        parseNpy(
          npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)),
          'x.npy',
        ),
      ),
    ).toMatch(/^x\.npy: structured/);
    const cut = npyBytes(dictFor('<f4', [1]), new Uint8Array(4)).subarray(0, 30);
    expect(inputErrorOf(() => parseNpy(cut, 'x.npy'))).toMatch(/^x\.npy: truncated \.npy header/);
  });

  it('calls an empty file empty (an interrupted copy), not "not a .npy file"', () => {
    expect(inputErrorOf(() => parseNpy(new Uint8Array(0), 'x.npy'))).toBe('x.npy: the file is empty (0 bytes)');
  });

  it('rejects truncated data with both byte counts', () => {
    const bytes = npyBytes(dictFor('<f8', [3, 4]), new Uint8Array(90));
    expect(inputErrorOf(() => parseNpy(bytes, 'short.npy'))).toBe(
      "short.npy: truncated data: shape (3, 4) of '<f8' needs 96 bytes but the file holds 90",
    );
  });
});

describe('encodeNpy', () => {
  it('round-trips float32 of any shape through parseNpy, data aligned to 64 bytes', () => {
    for (const shape of [[5], [2, 3], [2, 3, 4], [1, 1, 7], []]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, () => Math.random() * 200 - 100);
      const bytes = encodeNpy(data, shape);
      const headerLen = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLen) % 64).toBe(0);
      const back = parseNpy(bytes, 'rt.npy');
      expect(back.dtype).toBe('<f4');
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('writes the header NumPy writes (np.save of float32 [1, 2]: 128-byte header, 136 bytes)', () => {
    const bytes = encodeNpy(new Float32Array([1, 2]), [2]);
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 128));
    expect(Array.from(bytes.subarray(0, 10))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    expect(header).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }".padEnd(117, ' ') + '\n');
    expect(bytes.length).toBe(136);
    expect(Array.from(new Float32Array(bytes.slice(128).buffer))).toEqual([1, 2]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(6), [2, 2])).toThrow(/shape \(2, 2\) holds 4 values but the data has 6/);
  });
});
