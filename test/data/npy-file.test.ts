import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withInputFile } from '../../src/data/io/input-file.js';
import { readNpyAsFloat32 } from '../../src/data/io/npy-file.js';
import { inputErrorOf } from './input-error.js';
import { dictFor, npyBytes } from './npy-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-npyfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeNpy(
  name: string,
  descr: string,
  values: number[],
  set: (v: DataView, o: number, x: number) => void,
  size: number,
  opts = {},
): string {
  const payload = new Uint8Array(values.length * size);
  const view = new DataView(payload.buffer);
  values.forEach((x, i) => set(view, i * size, x));
  const path = join(dir, name);
  writeFileSync(path, npyBytes(dictFor(descr, [values.length]), payload, opts));
  return path;
}
const read = (path: string, chunk?: number) => withInputFile(path, (fd) => readNpyAsFloat32(path, fd, chunk));

describe('readNpyAsFloat32 of a Fortran-order file', () => {
  it('returns C order, read in chunks smaller than the file', () => {
    const [a, b, c] = [4, 3, 7];
    const payload = new Uint8Array(a * b * c * 4);
    const view = new DataView(payload.buffer);
    for (let i = 0; i < a; i++)
      for (let j = 0; j < b; j++)
        for (let k = 0; k < c; k++) view.setFloat32(4 * (i + a * (j + b * k)), 100 * i + 10 * j + k, true);
    const path = join(dir, 'fortran.npy');
    writeFileSync(path, npyBytes(dictFor('<f4', [a, b, c], true), payload));
    const arr = read(path, 16);
    expect(arr.shape).toEqual([a, b, c]);
    for (let i = 0; i < a; i++)
      for (let j = 0; j < b; j++)
        for (let k = 0; k < c; k++) expect(arr.data[(i * b + j) * c + k]).toBe(100 * i + 10 * j + k);
  });
});

describe('readNpyAsFloat32 (chunked file reads)', () => {
  const values = Array.from({ length: 37 }, (_, i) => (i - 18) * 1.25);
  const cases: [string, number, (v: DataView, o: number, x: number) => void][] = [
    ['<f4', 4, (v, o, x) => v.setFloat32(o, x, true)],
    ['>f8', 8, (v, o, x) => v.setFloat64(o, x, false)],
    ['<f8', 8, (v, o, x) => v.setFloat64(o, x, true)],
    ['<i8', 8, (v, o, x) => v.setBigInt64(o, BigInt(Math.round(x * 4)), true)],
    ['<i2', 2, (v, o, x) => v.setInt16(o, Math.round(x * 4), true)],
  ];
  for (const [descr, size, set] of cases) {
    it(`reads ${descr} across many small chunks into float32`, () => {
      const path = writeNpy(`c${descr.replace(/[<>]/, '_')}.npy`, descr, values, set, size);
      const expected = descr.includes('i') ? values.map((x) => Math.round(x * 4)) : values;
      for (const chunk of [8, 24, 1 << 20]) {
        const arr = read(path, chunk);
        expect(arr.data).toBeInstanceOf(Float32Array);
        expect([arr.shape, arr.dtype]).toEqual([[37], descr]);
        expect(Array.from(arr.data)).toEqual(expected.map(Math.fround));
      }
    });
  }

  it('reads a version 2.0 header longer than the first 4 KiB read', () => {
    const payload = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const path = join(dir, 'long.npy');
    writeFileSync(path, npyBytes(dictFor('<f4', [3]).padEnd(6000, ' '), payload, { version: 2 }));
    expect(Array.from(read(path).data)).toEqual([1, 2, 3]);
  });

  it('names the file when the data are cut short', () => {
    const path = join(dir, 'short.npy');
    writeFileSync(path, npyBytes(dictFor('<f4', [10]), new Uint8Array(12)));
    expect(inputErrorOf(() => read(path))).toBe(
      `${path}: truncated data: shape (10,) of '<f4' needs 40 bytes but the file holds 12`,
    );
  });
});
