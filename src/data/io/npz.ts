// NumPy .npz archives (np.savez, np.savez_compressed): a zip of .npy members. The member holding
// the spectra is chosen (by name, else the only numeric 2-D/3-D one) and decoded as a stream: a
// stored member is read in place in chunks, a deflated one inflated (fflate) a piece at a time
// into the decoder, so the result (float32) is the only full-size array ever held. Browser-safe:
// the archive is reached through read(offset, n). A member read whole is checked against the CRC-32
// its directory entry records (as NumPy's zipfile does), so a damaged archive is an error, not data;
// a damaged .npy header (which fails before the data are read) is reported as the CRC mismatch too.
import { buf as crc32 } from 'crc-32';
import { Inflate } from 'fflate';
import { InputError } from '../../engine/errors.js';
import { checkNpyHeader, type NpyArray, type NpyData } from './npy.js';
import { NpyStreamDecoder, streamRegion } from './npy-stream.js';
import { entryDataOffset, readZipDirectory, type ReadAt, type ZipEntry } from './zip.js';

/** Compressed bytes per inflate step: at deflate's largest ratio (~1000:1) at most ~64 MiB come out of one. */
const INFLATE_STEP = 1 << 16;
const MAX_LISTED = 8;

/** A member as `info` and messages list it (the shape of an HDF5 dataset listing). */
export interface NpzMember {
  /** The key np.load gives it: the member's name without '.npy'. */
  path: string;
  shape: number[];
  /** '<f4', '|u1', ...; 'structured' for a record array; the descr as written for other non-numeric ones ('<U5', '|O'). */
  dtype: string;
  numeric: boolean;
  entry: ZipEntry;
}

/** An archive open for reading: its size and a read function. */
export interface NpzSource {
  read: ReadAt;
  size: number;
}

/** Bytes in memory as an archive (read returns views, no copies). */
export function bytesSource(bytes: Uint8Array): NpzSource {
  return { read: (at, n) => bytes.subarray(at, at + n), size: bytes.length };
}

function describeShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** 'data (3, 4, 6) <f4, energy (6,) <f8': members named in a one-line message. */
export function npzListing(members: NpzMember[]): string {
  if (members.length === 0) return 'none';
  const shown = members
    .slice(0, MAX_LISTED)
    .map((m) => `${m.path} ${describeShape(m.shape)} ${m.dtype}`)
    .join(', ');
  return members.length > MAX_LISTED ? `${shown}, … (${members.length} in all)` : shown;
}

/** The key np.load gives a member: its name without '.npy'. */
const keyOf = (memberName: string) => memberName.replace(/\.npy$/, '');

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

function crcError(label: string, recorded: number, found: number): InputError {
  return new InputError(
    `${label}: the member's data do not match its CRC-32 (recorded ${hex(recorded)}, read ${hex(found)}): the archive is damaged`,
  );
}

/** The CRC error for member `e` when its bytes, read to the end, do not match the CRC-32 its
 *  directory records; null when they match or cannot be read to the end (that error stands). */
function damage(src: NpzSource, e: ZipEntry, name: string): InputError | null {
  let crc = 0;
  let bytes = 0;
  try {
    streamMember(src, e, name, (piece) => {
      crc = crc32(piece, crc);
      bytes += piece.length;
      return true;
    });
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
  return bytes === e.size && crc >>> 0 !== e.crc32 ? crcError(`${name}:${keyOf(e.name)}`, e.crc32, crc >>> 0) : null;
}

/** Run `read` (which reads member `e`); an InputError it throws (a malformed .npy header, data
 *  shorter than the header promises: what a flipped byte in the header gives) becomes the CRC
 *  error when the member's bytes do not match their CRC-32, so damage is reported as damage. */
function damageFirst<T>(src: NpzSource, e: ZipEntry, name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof InputError) throw damage(src, e, name) ?? err;
    throw err;
  }
}

/** Read member `e` of `src` as a byte stream, in pieces, until `take` returns false. With `verify`,
 *  the member is read to its end (past where `take` stops) and must match its recorded CRC-32;
 *  an error `take` raises is reported as the CRC mismatch when there is one. */
function streamMember(
  src: NpzSource,
  e: ZipEntry,
  name: string,
  take: (piece: Uint8Array) => boolean,
  verify = false,
): void {
  const label = `${name}:${keyOf(e.name)}`;
  if (verify) {
    let crc = 0;
    let bytes = 0;
    let more = true;
    damageFirst(src, e, name, () =>
      streamMember(src, e, name, (piece) => {
        crc = crc32(piece, crc);
        bytes += piece.length;
        // Past the end of the array the CRC still needs the rest: a header whose shape was damaged
        // to a smaller one would otherwise pass unchecked.
        if (more) more = take(piece);
        return true;
      }),
    );
    const found = crc >>> 0;
    if (bytes === e.size && found !== e.crc32) throw crcError(label, e.crc32, found);
    return;
  }
  if (e.encrypted) throw new InputError(`${label}: the member is encrypted`);
  if (e.method !== 0 && e.method !== 8)
    throw new InputError(
      `${label}: compression method ${e.method} is not supported (np.savez stores, np.savez_compressed deflates)`,
    );
  const start = entryDataOffset(src.read, src.size, e, name);
  if (e.method === 0) return streamRegion((at, n) => src.read(start + at, n), e.size, take);
  let more = true;
  const inflate = new Inflate((piece) => {
    if (more && piece.length > 0) more = take(piece);
  });
  try {
    for (let at = 0; at < e.compressedSize && more; at += INFLATE_STEP) {
      const n = Math.min(INFLATE_STEP, e.compressedSize - at);
      inflate.push(src.read(start + at, n), at + n >= e.compressedSize);
    }
  } catch (err) {
    // fflate's own errors carry a numeric code (FlateErrorCode); anything else passes through.
    if (typeof (err as { code?: unknown }).code !== 'number') throw err;
    throw new InputError(`${label}: corrupt deflated data (${(err as Error).message})`);
  }
}

/** Every member of the archive with its shape and dtype (each .npy header is read, or inflated, alone). */
export function listNpzMembers(src: NpzSource, name: string): NpzMember[] {
  const entries = readZipDirectory(src.read, src.size, name);
  return entries
    .filter((e) => !e.name.endsWith('/'))
    .map((e) => {
      const label = `${name}:${keyOf(e.name)}`;
      const d = new NpyStreamDecoder(label, e.size, undefined, true);
      const fields = damageFirst(src, e, name, () => {
        streamMember(src, e, name, (p) => (d.push(p), d.wants));
        return d.headerFields();
      });
      let numeric = true;
      let fits = true;
      try {
        const h = checkNpyHeader(fields, label);
        fits = h.dataOffset + h.count * h.itemSize === e.size;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        numeric = false; // a string, object, record or complex member: listed, not read
      }
      // A header that parses but names no number type, or a shape the member's size does not hold,
      // may be a damaged one: the CRC (one pass over the member) tells.
      if (!numeric || !fits) {
        const damaged = damage(src, e, name);
        if (damaged) throw damaged;
      }
      return { path: keyOf(e.name), shape: fields.shape, dtype: fields.descr ?? 'structured', numeric, entry: e };
    });
}

/**
 * The member holding the spectra: `requested` (its key or file name) if given, else the only
 * numeric 2-D or 3-D member. It must be numeric and of rank 2 or 3. `name` starts every error.
 */
export function chooseNpzMember(members: NpzMember[], name: string, requested?: string): NpzMember {
  let m: NpzMember | undefined;
  if (requested !== undefined) {
    const key = keyOf(requested.trim().replace(/^\//, ''));
    m = members.find((x) => x.path === key);
    if (!m) throw new InputError(`${name}: no member '${key}' (members: ${npzListing(members)})`);
  } else {
    const candidates = members.filter((x) => x.numeric && (x.shape.length === 2 || x.shape.length === 3));
    if (candidates.length === 0)
      throw new InputError(`${name}: no numeric 2-D or 3-D array to read as spectra (members: ${npzListing(members)})`);
    if (candidates.length > 1)
      throw new InputError(
        `${name}: ${candidates.length} arrays could hold the spectra: ${npzListing(candidates)}; choose one with --dataset NAME`,
      );
    m = candidates[0]!;
  }
  const where = `${name}: member ${m.path}`;
  if (!m.numeric)
    throw new InputError(`${where} holds ${m.dtype} values, not numbers (supported: integers, bool, float16/32/64)`);
  if (m.shape.length !== 2 && m.shape.length !== 3) {
    throw new InputError(
      `${where} has shape ${describeShape(m.shape)}: expected a 3-D [ny, nx, channels] map or a 2-D [spectra, channels] list`,
    );
  }
  return m;
}

/** Member `m` decoded (into float32 unless `make` says otherwise), read in place or inflated as it is decoded. */
export function readNpzMember(src: NpzSource, m: NpzMember, name: string, make?: (n: number) => NpyData): NpyArray {
  const d = new NpyStreamDecoder(`${name}:${m.path}`, m.entry.size, make);
  streamMember(src, m.entry, name, (p) => (d.push(p), d.wants), true);
  return d.finish();
}

/**
 * A 1-D numeric member (an energy axis) as float64: `member` by name, or (null) the archive's
 * only 1-D numeric member. `name` is the file name.
 */
export function readNpzAxis(
  src: NpzSource,
  name: string,
  member: string | null,
): { energy: Float64Array; path: string } {
  const members = listNpzMembers(src, name);
  const oneD = (x: NpzMember) => x.shape.filter((n) => n !== 1).length <= 1;
  let m: NpzMember | undefined;
  if (member === null) {
    const ones = members.filter((x) => x.numeric && oneD(x));
    if (ones.length !== 1) {
      throw new InputError(
        `${name}: ${ones.length === 0 ? 'no 1-D numeric array' : `${ones.length} 1-D arrays`} to read as the energy axis (members: ${npzListing(members)}); name one as --energy ${name}:NAME`,
      );
    }
    m = ones[0]!;
  } else {
    const key = keyOf(member.trim().replace(/^\//, ''));
    m = members.find((x) => x.path === key);
    if (!m) throw new InputError(`${name}: no member '${key}' for the energy axis (members: ${npzListing(members)})`);
  }
  if (!m.numeric)
    throw new InputError(`${name}: member ${m.path} holds ${m.dtype} values, not an energy axis of numbers`);
  if (!oneD(m))
    throw new InputError(`${name}:${m.path}: an energy axis must be 1-D, got shape ${describeShape(m.shape)}`);
  return { energy: readNpzMember(src, m, name, (n) => new Float64Array(n)).data as Float64Array, path: m.path };
}
