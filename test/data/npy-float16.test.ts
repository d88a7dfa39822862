// float16 .npy ('<f2', '>f2'): every one of the 65536 bit patterns decodes exactly, checked against
// float32 bit patterns built here from the half's fields (not the reader's arithmetic).
import { describe, expect, it } from 'vitest';
import { decodeSpectrumImage } from '../../src/data/io/decode-spectra.js';
import { parseNpy } from '../../src/data/io/npy.js';
import { assertFinite } from '../../src/data/validate.js';
import { inputErrorOf } from './input-error.js';
import { dictFor, npyBytes } from './npy-bytes.js';

/** The float32 a half's bits denote, built as float32 bits: the exponent rebiased 15 → 127, the fraction shifted up 13. */
function expectedOf(h: number): number {
  const sign = (h >>> 15) << 31;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  const f = new DataView(new ArrayBuffer(4));
  if (exp === 0x1f) f.setUint32(0, (sign | (0xff << 23) | (frac << 13)) >>> 0);
  else if (exp > 0) f.setUint32(0, (sign | ((exp - 15 + 127) << 23) | (frac << 13)) >>> 0);
  else {
    // Subnormal half: normalise it into float32 by shifting the fraction up to the hidden bit.
    if (frac === 0) f.setUint32(0, sign >>> 0);
    else {
      let e = -14;
      let m = frac;
      while ((m & 0x400) === 0) {
        m <<= 1;
        e--;
      }
      f.setUint32(0, (sign | ((e + 127) << 23) | ((m & 0x3ff) << 13)) >>> 0);
    }
  }
  return f.getFloat32(0);
}

function halves(le: boolean): Uint8Array {
  const b = new Uint8Array(65536 * 2);
  const v = new DataView(b.buffer);
  for (let h = 0; h < 65536; h++) v.setUint16(2 * h, h, le);
  return b;
}

describe('float16 .npy', () => {
  for (const [descr, le] of [
    ['<f2', true],
    ['>f2', false],
  ] as const) {
    it(`decodes all 65536 ${descr} values exactly (normals, subnormals, ±0, ±inf, NaN)`, () => {
      const arr = parseNpy(npyBytes(dictFor(descr, [256, 256]), halves(le)), 'h.npy');
      expect(arr.data).toBeInstanceOf(Float32Array);
      expect(arr.dtype).toBe(descr);
      for (let h = 0; h < 65536; h++) {
        const want = expectedOf(h);
        const got = arr.data[h]!;
        if (Number.isNaN(want)) expect(got, `bits 0x${h.toString(16)}`).toBeNaN();
        else if (got !== want || Object.is(got, -0) !== Object.is(want, -0))
          expect.fail(`bits 0x${h.toString(16)}: ${got}, expected ${want}`);
      }
    });
  }

  it('gives the known values: 1, -2, 65504, the smallest subnormal and normal, -0, ±inf', () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x8000, 0x7c00, 0xfc00, 0x3555];
    const b = new Uint8Array(bits.length * 2);
    bits.forEach((h, i) => new DataView(b.buffer).setUint16(2 * i, h, true));
    const d = Array.from(parseNpy(npyBytes(dictFor('<f2', [bits.length]), b), 'k.npy').data);
    expect(d).toEqual([1, -2, 65504, 2 ** -24, 2 ** -14, -0, Infinity, -Infinity, 0.333251953125]);
  });

  it('a NaN in a float16 map is caught by the finite check, naming pixel and channel', () => {
    const b = new Uint8Array(2 * 3 * 4 * 2);
    const v = new DataView(b.buffer);
    for (let i = 0; i < 24; i++) v.setUint16(2 * i, 0x3c00 + i, false);
    v.setUint16(2 * ((1 * 3 + 2) * 4 + 3), 0x7e00, false); // pixel (1, 2) channel 3
    const img = decodeSpectrumImage(npyBytes(dictFor('>f2', [2, 3, 4]), b), 'half.npy');
    expect(img.meta.dtype).toBe('>f2');
    expect(inputErrorOf(() => assertFinite(img))).toBe(
      'half.npy: pixel (1, 2) channel 3 is NaN (1 non-finite value in all)',
    );
  });
});
