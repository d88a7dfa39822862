// NumPy .npy format (versions 1.0, 2.0, 3.0): parse bytes into a typed array with its shape, and
// encode a typed array back into bytes. Browser-safe: bytes in, bytes out; no file system here.
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { InputError } from '../../engine/errors.js';

export type NpyData =
  Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export interface NpyArray {
  /** Values in C (row-major) order. 64-bit integers come back as Float64Array (exact up to 2^53), float16 as Float32Array (exact). */
  data: NpyData;
  shape: number[];
  /** The descr as written in the file, e.g. '<f4', '>i4', '|u1'. */
  dtype: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface Kind {
  size: number;
  /** Whether the returned typed array has the file's element layout (then one byte copy suffices). */
  native: boolean;
  /** The typed array the values are returned in. */
  make: (n: number) => NpyData;
  /** Read element i (little- or big-endian) from a DataView of the data block. */
  get: (v: DataView, i: number, le: boolean) => number;
}

let halfTable: Float32Array | null = null;

/**
 * IEEE 754 binary16 → float32, exactly, as a table over all 65536 bit patterns: sign, 5-bit
 * exponent (bias 15), 10-bit fraction; exponent 0 holds the subnormals (fraction · 2^-24) and
 * zeros, exponent 31 the infinities (fraction 0) and NaNs.
 */
function halfToFloat(bits: number): number {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) {
      const exp = (h >> 10) & 0x1f;
      const frac = h & 0x3ff;
      const mag =
        exp === 0 ? frac * 2 ** -24 : exp === 31 ? (frac === 0 ? Infinity : NaN) : (1024 + frac) * 2 ** (exp - 25);
      halfTable[h] = h & 0x8000 ? -mag : mag;
    }
  }
  return halfTable[bits]!;
}

const KINDS: Record<string, Kind> = {
  f2: {
    native: false,
    size: 2,
    make: (n) => new Float32Array(n),
    get: (v, i, le) => halfToFloat(v.getUint16(i * 2, le)),
  },
  f4: { native: true, size: 4, make: (n) => new Float32Array(n), get: (v, i, le) => v.getFloat32(i * 4, le) },
  f8: { native: true, size: 8, make: (n) => new Float64Array(n), get: (v, i, le) => v.getFloat64(i * 8, le) },
  i1: { native: true, size: 1, make: (n) => new Int8Array(n), get: (v, i) => v.getInt8(i) },
  i2: { native: true, size: 2, make: (n) => new Int16Array(n), get: (v, i, le) => v.getInt16(i * 2, le) },
  i4: { native: true, size: 4, make: (n) => new Int32Array(n), get: (v, i, le) => v.getInt32(i * 4, le) },
  i8: { native: false, size: 8, make: (n) => new Float64Array(n), get: (v, i, le) => Number(v.getBigInt64(i * 8, le)) },
  u1: { native: true, size: 1, make: (n) => new Uint8Array(n), get: (v, i) => v.getUint8(i) },
  u2: { native: true, size: 2, make: (n) => new Uint16Array(n), get: (v, i, le) => v.getUint16(i * 2, le) },
  u4: { native: true, size: 4, make: (n) => new Uint32Array(n), get: (v, i, le) => v.getUint32(i * 4, le) },
  u8: {
    native: false,
    size: 8,
    make: (n) => new Float64Array(n),
    get: (v, i, le) => Number(v.getBigUint64(i * 8, le)),
  },
  b1: { native: false, size: 1, make: (n) => new Uint8Array(n), get: (v, i) => (v.getUint8(i) ? 1 : 0) },
};

export const SUPPORTED_DTYPES = 'float16/32/64, int8/16/32/64, uint8/16/32/64, bool (either byte order)';

function describeShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Read the header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. descr is
 * null for a structured (record) array, whose descr is a list.
 */
function parseHeader(text: string, name: string): { descr: string | null; fortran: boolean; shape: number[] } {
  const bad = (why: string) => new InputError(`${name}: malformed .npy header (${why}): ${text.trim().slice(0, 120)}`);
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text);
  const structured = !descr && /['"]descr['"]\s*:\s*\[/.test(text);
  if (!descr && !structured) throw bad("no 'descr'");
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortran) throw bad("no 'fortran_order'");
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeMatch) throw bad("no 'shape'");
  const parts = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const shape = parts.map((s) => {
    const n = Number(s.replace(/L$/, '')); // Python 2 wrote longs as 3L
    if (!Number.isInteger(n) || n < 0) throw bad(`shape entry '${s}' is not a size`);
    return n;
  });
  return { descr: descr ? descr[2]! : null, fortran: fortran[1] === 'True', shape };
}

/** What a .npy header says, checked: where the data start and how to read them. */
export interface NpyHeader {
  dtype: string;
  shape: number[];
  /** Number of values (product of the shape). */
  count: number;
  itemSize: number;
  /** Byte offset of the data in the file. */
  dataOffset: number;
  littleEndian: boolean;
  kind: Kind;
  /** The values are stored in Fortran (column-major) order: rearrange with fortranToC. */
  fortran: boolean;
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What any .npy header says, unchecked for dtype: descr null for a structured array. */
export interface NpyHeaderFields {
  descr: string | null;
  fortran: boolean;
  shape: number[];
  dataOffset: number;
}

/**
 * The length of the header (magic, version, length field and dict) once `bytes` hold its first
 * 12 bytes; null while fewer bytes are known. A bad start gives a length that parseNpyHeaderFields
 * then refuses with its message.
 */
export function npyHeaderLength(bytes: Uint8Array): number | null {
  if (bytes.length < 12) return null;
  if (MAGIC.some((b, i) => bytes[i] !== b)) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
  if (bytes[6] === 1) return 10 + view.getUint16(8, true);
  if (bytes[6] === 2 || bytes[6] === 3) return 12 + view.getUint32(8, true);
  return 0;
}

/**
 * Parse the header at the start of `bytes` (the data need not follow), without judging the dtype.
 * Throws InputError naming `name` for an empty file, a missing magic string, an unknown version,
 * or a malformed or truncated header.
 */
export function parseNpyHeaderFields(bytes: Uint8Array, name: string): NpyHeaderFields {
  if (bytes.length === 0) throw new InputError(`${name}: the file is empty (0 bytes)`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InputError(`${name}: not a .npy file (it does not start with \\x93NUMPY)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InputError(`${name}: truncated .npy header`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new InputError(`${name}: unsupported .npy format version ${major}.${bytes[7]} (supported: 1.0, 2.0, 3.0)`);
  }
  const dataOffset = headerStart + headerLen;
  if (dataOffset > bytes.length)
    throw new InputError(
      `${name}: truncated .npy header (says ${headerLen} bytes, file has ${bytes.length - headerStart})`,
    );
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataOffset));
  return { ...parseHeader(text, name), dataOffset };
}

/**
 * Parse and check the header at the start of `bytes` (the data need not follow). Throws
 * InputError naming `name` for an empty file, a missing magic string, an unknown version, a
 * malformed or truncated header, or an unsupported dtype.
 */
export function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  return checkNpyHeader(parseNpyHeaderFields(bytes, name), name);
}

/** The header fields checked: a dtype specmap reads (else an InputError naming `name`). */
export function checkNpyHeader(f: NpyHeaderFields, name: string): NpyHeader {
  const { descr, fortran, shape, dataOffset } = f;
  if (descr === null)
    throw new InputError(`${name}: structured (record) arrays are not supported; save a plain numeric array`);
  const order = descr[0];
  const kind = KINDS[descr.slice(1)];
  if (!kind || !'<>|='.includes(order ?? '') || (order === '|' && kind.size !== 1)) {
    throw new InputError(`${name}: unsupported dtype '${descr}' (supported: ${SUPPORTED_DTYPES})`);
  }
  const littleEndian = order === '<' || order === '|' || (order === '=' && HOST_LITTLE);
  // One dimension above 1: Fortran and C order hold the same bytes.
  const columnMajor = fortran && shape.filter((d) => d > 1).length > 1;
  return {
    dtype: descr,
    shape,
    count: shape.reduce((a, b) => a * b, 1),
    itemSize: kind.size,
    dataOffset,
    littleEndian,
    kind,
    fortran: columnMajor,
  };
}

/**
 * Values stored in Fortran (column-major) order, as np.save writes a transposed or
 * np.asfortranarray array, rearranged into C (row-major) order: a new array of the same type.
 */
export function fortranToC<T extends NpyData>(data: T, shape: number[]): T {
  const n = shape.length;
  const out = new (data.constructor as new (len: number) => T)(data.length);
  if (data.length === 0) return out;
  const stride: number[] = [];
  for (let i = 0, s = 1; i < n; s *= shape[i]!, i++) stride.push(s);
  const last = n - 1;
  const inner = shape[last]!;
  const innerStride = stride[last]!;
  const idx = new Array<number>(n).fill(0);
  let o = 0;
  for (let row = 0, rows = data.length / inner; row < rows; row++) {
    let base = 0;
    for (let i = 0; i < last; i++) base += idx[i]! * stride[i]!;
    for (let k = 0; k < inner; k++) out[o++] = data[base + k * innerStride]!;
    for (let i = last - 1; i >= 0; i--) {
      if (++idx[i]! < shape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** Throw unless `available` bytes after the header hold all the data. */
export function checkNpyLength(h: NpyHeader, available: number, name: string): void {
  const needed = h.count * h.itemSize;
  if (available < needed) {
    throw new InputError(
      `${name}: truncated data: shape ${describeShape(h.shape)} of '${h.dtype}' needs ${needed} bytes but the file holds ${available}`,
    );
  }
}

/**
 * Decode the values in `src` (whole elements, starting at element `first` of the array) into
 * `out` at `first` — any numeric typed array, so a caller can convert straight to float32.
 */
export function decodeNpyValues(h: NpyHeader, src: Uint8Array, first: number, out: NpyData): void {
  const n = Math.floor(src.length / h.itemSize);
  const Ctor = h.kind.make(0).constructor as new (b: ArrayBufferLike, o: number, n: number) => NpyData;
  if (h.kind.native && h.littleEndian === HOST_LITTLE) {
    // The file's layout is the typed array's: view it (copying once if misaligned) and let set() convert.
    const aligned = src.byteOffset % h.itemSize === 0 ? src : src.slice();
    out.set(new Ctor(aligned.buffer, aligned.byteOffset, n), first);
    return;
  }
  const dv = new DataView(src.buffer, src.byteOffset, n * h.itemSize);
  for (let i = 0; i < n; i++) out[first + i] = h.kind.get(dv, i, h.littleEndian);
}

/**
 * Parse the bytes of a whole .npy file. `name` (the file name) starts every error message.
 * Errors: those of parseNpyHeader, and data shorter than the header promises.
 */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  const h = parseNpyHeader(bytes, name);
  checkNpyLength(h, bytes.length - h.dataOffset, name);
  const data = h.kind.make(h.count);
  decodeNpyValues(h, bytes.subarray(h.dataOffset, h.dataOffset + h.count * h.itemSize), 0, data);
  return { data: h.fortran ? fortranToC(data, h.shape) : data, shape: h.shape, dtype: h.dtype };
}

const DESCR_OF: [new (n: number) => NpyData, string][] = [
  [Float32Array, '<f4'],
  [Float64Array, '<f8'],
  [Int8Array, '|i1'],
  [Int16Array, '<i2'],
  [Int32Array, '<i4'],
  [Uint8Array, '|u1'],
  [Uint16Array, '<u2'],
  [Uint32Array, '<u4'],
];

/**
 * Encode a typed array (C order) as .npy bytes (version 1.0, or 2.0 when the header is too long).
 * The header is padded so the data starts on a 64-byte boundary, as NumPy does.
 */
export function encodeNpy(data: NpyData, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`encodeNpy: bad shape ${describeShape(shape)}`);
  if (count !== data.length)
    throw new Error(`encodeNpy: shape ${describeShape(shape)} holds ${count} values but the data has ${data.length}`);
  const descr = DESCR_OF.find(([ctor]) => data instanceof ctor)?.[1];
  if (!descr) throw new Error('encodeNpy: unsupported array type');
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${describeShape(shape)}, }`;
  let version = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    version = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - prefix;
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  const header = dict.padEnd(headerLen - 1, ' ') + '\n';
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_LITTLE || data.BYTES_PER_ELEMENT === 1) {
    out.set(bytes, total);
  } else {
    throw new Error('encodeNpy: big-endian hosts are not supported');
  }
  return out;
}
