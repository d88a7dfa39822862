// The directory of a zip archive (what np.savez writes): member names, compression method, sizes
// and where each member's data start, zip64 included. Only the directory and local headers are
// read; members are read (stored) or inflated (deflated, with fflate) by the caller. Browser-safe:
// the archive is reached through a read(offset, n) function (a file descriptor or bytes).
// Format: PKWARE APPNOTE.TXT 6.3 (sections 4.3.7 local header, 4.3.12 central directory,
// 4.3.14-16 zip64 end records, 4.5.3 zip64 extra field).
import { InputError } from '../../engine/errors.js';

/** `n` bytes of the archive from `offset` (fewer only at its end). */
export type ReadAt = (offset: number, n: number) => Uint8Array;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (others are refused when read). */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local header. */
  headerOffset: number;
  /** CRC-32 of the uncompressed data, as the directory records it (unsigned). */
  crc32: number;
  encrypted: boolean;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const MAX32 = 0xffffffff;

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(v: DataView, at: number): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER; // beyond any file: caught as outside it
  return Number(n);
}

/** The archive's entries, in directory order. `name` (the file) starts every error. */
export function readZipDirectory(read: ReadAt, size: number, name: string): ZipEntry[] {
  const corrupt = (why: string) => new InputError(`${name}: corrupt zip archive (${why})`);
  if (size === 0) throw new InputError(`${name}: the file is empty (0 bytes)`);
  // The end record is the last 22 bytes, unless a comment (up to 65535 bytes) follows it.
  const tailStart = Math.max(0, size - 22 - 0xffff);
  const tail = read(tailStart, size - tailStart);
  const tv = view(tail);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD && i + 22 + tv.getUint16(i + 20, true) <= tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    const zipStart = tail.length >= 4 && tailStart === 0 && tv.getUint32(0, true) === LOCAL;
    throw new InputError(
      `${name}: not a zip archive as np.savez writes (no end-of-central-directory record${zipStart ? '; the file is cut short' : ''})`,
    );
  }
  let count = tv.getUint16(end + 10, true);
  let dirSize = tv.getUint32(end + 12, true);
  let dirOffset = tv.getUint32(end + 16, true);
  const locatorAt = tailStart + end - 20;
  if (locatorAt >= 0 && view(read(locatorAt, 20)).getUint32(0, true) === EOCD64_LOCATOR) {
    const at = u64(view(read(locatorAt + 8, 8)), 0);
    const rec = at + 56 <= size ? read(at, 56) : new Uint8Array(0);
    if (rec.length < 56 || view(rec).getUint32(0, true) !== EOCD64) throw corrupt('the zip64 end record is missing');
    const rv = view(rec);
    count = u64(rv, 32);
    dirSize = u64(rv, 40);
    dirOffset = u64(rv, 48);
  }
  if (dirOffset + dirSize > size)
    throw corrupt(
      `the directory at byte ${dirOffset} (${dirSize} bytes) lies beyond the end of the file (${size} bytes): truncated?`,
    );
  const dir = read(dirOffset, dirSize);
  const dv = view(dir);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dir.length || dv.getUint32(p, true) !== CENTRAL)
      throw corrupt(`directory entry ${k + 1} of ${count} is damaged`);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen > dir.length) throw corrupt(`directory entry ${k + 1} of ${count} is damaged`);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(dir.subarray(p + 46, p + 46 + nameLen)),
      method: dv.getUint16(p + 10, true),
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      headerOffset: dv.getUint32(p + 42, true),
      crc32: dv.getUint32(p + 16, true),
      encrypted: (dv.getUint16(p + 8, true) & 1) !== 0,
    };
    readZip64Extra(dir.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), entry);
    if (entry.headerOffset + 30 > size) throw corrupt(`member ${entry.name} starts beyond the end of the file`);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Fields at 0xFFFFFFFF in the directory entry come from its zip64 extra field, in this order. */
function readZip64Extra(extra: Uint8Array, e: ZipEntry): void {
  const v = view(extra);
  for (let p = 0; p + 4 <= extra.length;) {
    const id = v.getUint16(p, true);
    const len = v.getUint16(p + 2, true);
    if (id === ZIP64_EXTRA) {
      let q = p + 4;
      const next = (): number | null =>
        q + 8 <= p + 4 + len && q + 8 <= extra.length ? ((q += 8), u64(v, q - 8)) : null;
      if (e.size === MAX32) e.size = next() ?? e.size;
      if (e.compressedSize === MAX32) e.compressedSize = next() ?? e.compressedSize;
      if (e.headerOffset === MAX32) e.headerOffset = next() ?? e.headerOffset;
      return;
    }
    p += 4 + len;
  }
}

/** Where member `e`'s data start: after its local header (whose name and extra field lengths may differ from the directory's). */
export function entryDataOffset(read: ReadAt, size: number, e: ZipEntry, name: string): number {
  const h = read(e.headerOffset, 30);
  const v = view(h);
  if (h.length < 30 || v.getUint32(0, true) !== LOCAL)
    throw new InputError(
      `${name}: corrupt zip archive (no local header for member ${e.name} at byte ${e.headerOffset})`,
    );
  const start = e.headerOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
  if (start + e.compressedSize > size) {
    throw new InputError(
      `${name}: corrupt zip archive (member ${e.name} needs ${e.compressedSize} bytes from byte ${start} but the file holds ${size}: truncated?)`,
    );
  }
  return start;
}
