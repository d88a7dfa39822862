// A .npy file decoded as its bytes arrive, in pieces of any size: straight from a file in chunks,
// from a stored .npz member in place, or from an inflate stream. Only the header and the
// converted result are kept (the values go into the output array as they come). Browser-safe.
import {
  checkNpyHeader,
  checkNpyLength,
  decodeNpyValues,
  fortranToC,
  npyHeaderLength,
  parseNpyHeaderFields,
  type NpyArray,
  type NpyData,
  type NpyHeader,
  type NpyHeaderFields,
} from './npy.js';

/** Bytes per read (a multiple of 8, so every read holds whole elements of any dtype); the HDF5 reader reads as much per hyperslab. */
export const READ_CHUNK_BYTES = 1 << 24;

/** Bytes read first: the header of any .npy numpy writes (version 1 headers are padded to 64-byte multiples). */
const HEAD_BYTES = 4096;

export class NpyStreamDecoder {
  /** The header fields once read (dtype not yet judged). */
  fields: NpyHeaderFields | null = null;
  private head = new Uint8Array(0);
  private header: NpyHeader | null = null;
  private out: NpyData | null = null;
  private carry: Uint8Array | null = null;
  private carried = 0;
  private done = 0;
  private seen = 0;

  /**
   * `total`: the stream's length in bytes (the data are checked against it once the header is
   * known); `make`: the output array for n values (Float32Array for spectra, Float64Array for an
   * axis); `headerOnly`: stop after the header (listing an archive's members).
   */
  constructor(
    private readonly name: string,
    private readonly total: number,
    private readonly make: (n: number) => NpyData = (n) => new Float32Array(n),
    private readonly headerOnly = false,
  ) {}

  /** Whether more bytes are wanted. */
  get wants(): boolean {
    if (this.headerOnly) return this.fields === null;
    return this.header === null || this.done < this.header.count;
  }

  /** Take the next bytes of the stream. */
  push(bytes: Uint8Array): void {
    let chunk = bytes;
    if (this.fields === null) {
      const need = this.head.length >= 12 ? npyHeaderLength(this.head)! : 12;
      const take = chunk.subarray(0, Math.max(0, need - this.head.length));
      const head = new Uint8Array(this.head.length + take.length);
      head.set(this.head);
      head.set(take, this.head.length);
      this.head = head;
      this.seen += take.length;
      chunk = chunk.subarray(take.length);
      const len = npyHeaderLength(this.head);
      if (len === null) return;
      if (len === 0 || this.head.length >= len) this.readHeader();
      else if (chunk.length > 0) return this.push(chunk);
      if (this.headerOnly || chunk.length === 0) return;
    }
    this.decode(chunk);
  }

  private readHeader(): void {
    this.fields = parseNpyHeaderFields(this.head, this.name);
    if (this.headerOnly) return;
    const h = checkNpyHeader(this.fields, this.name);
    checkNpyLength(h, this.total - h.dataOffset, this.name);
    this.header = h;
    this.out = this.make(h.count);
    this.carry = new Uint8Array(h.itemSize);
  }

  private decode(bytes: Uint8Array): void {
    const h = this.header!;
    const size = h.itemSize;
    let chunk = bytes.subarray(0, Math.max(0, (h.count - this.done) * size - this.carried));
    this.seen += bytes.length;
    if (this.carried > 0) {
      const take = chunk.subarray(0, size - this.carried);
      this.carry!.set(take, this.carried);
      this.carried += take.length;
      chunk = chunk.subarray(take.length);
      if (this.carried < size) return;
      decodeNpyValues(h, this.carry!, this.done++, this.out!);
      this.carried = 0;
    }
    const whole = chunk.length - (chunk.length % size);
    if (whole > 0) {
      decodeNpyValues(h, chunk.subarray(0, whole), this.done, this.out!);
      this.done += whole / size;
    }
    this.carry!.set(chunk.subarray(whole));
    this.carried = chunk.length - whole;
  }

  /** The header fields once pushed; an InputError when the stream ended inside the header. */
  headerFields(): NpyHeaderFields {
    return this.fields ?? parseNpyHeaderFields(this.head, this.name);
  }

  /** The array once the stream has ended: an InputError if it ended inside the header or the data. */
  finish(): NpyArray {
    if (this.header === null) {
      // Ended inside the header: its parser names the problem (empty, not .npy, truncated).
      this.readHeader();
    }
    const h = this.header!;
    if (this.done < h.count) checkNpyLength(h, this.seen - h.dataOffset, this.name);
    const data = this.out!;
    return { data: h.fortran ? fortranToC(data, h.shape) : data, shape: h.shape, dtype: h.dtype };
  }
}

/**
 * Pass the `length` bytes that `read(offset, n)` returns (offsets from their start) to `take`,
 * the first 4 KiB (a .npy header) and then `chunkBytes` at a time, until `take` returns false.
 */
export function streamRegion(
  read: (offset: number, n: number) => Uint8Array,
  length: number,
  take: (piece: Uint8Array) => boolean,
  chunkBytes = READ_CHUNK_BYTES,
): void {
  if (chunkBytes % 8 !== 0 || chunkBytes <= 0)
    throw new Error(`streamRegion: chunkBytes must be a positive multiple of 8, not ${chunkBytes}`);
  for (let at = 0, more = true; at < length && more;) {
    const piece = read(at, Math.min(at === 0 ? Math.min(HEAD_BYTES, chunkBytes) : chunkBytes, length - at));
    if (piece.length === 0) break;
    more = take(piece);
    at += piece.length;
  }
}

/**
 * Decode the .npy held in `length` bytes that `read(offset, n)` returns (see streamRegion): the
 * result is the only full-size array held, never the file nor a full-precision copy of its values.
 */
export function readNpyStream(
  read: (offset: number, n: number) => Uint8Array,
  length: number,
  name: string,
  make?: (n: number) => NpyData,
  chunkBytes = READ_CHUNK_BYTES,
): NpyArray {
  const d = new NpyStreamDecoder(name, length, make);
  streamRegion(read, length, (p) => (d.push(p), d.wants), chunkBytes);
  return d.finish();
}
