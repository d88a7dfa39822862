// Node-only: open HDF5 (and NeXus, which is HDF5) files with h5wasm — HDF5 compiled to
// WebAssembly, reading the host file system directly (random access, so a dataset is read a
// hyperslab at a time and the rest of the file is never loaded). h5wasm is imported on first use:
// runs on .npy or text never load it.
import { fstatSync, readSync } from 'node:fs';
import type { Dataset, Entity, File as H5File, Metadata } from 'h5wasm/node';
import { InputError } from '../../engine/errors.js';
import { withInputFile } from './input-file.js';

export const HDF5_EXTENSIONS = ['.h5', '.hdf5', '.nxs', '.nx5', '.hspy'];

/** The 8-byte format signature; the superblock is at 0, or at 512, 1024, 2048 ... after a user block. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the file open as `fd` carries the HDF5 signature (at 0 only, unless `userBlock`). */
export function hasHdf5Signature(fd: number, userBlock: boolean): boolean {
  const size = fstatSync(fd).size;
  const head = new Uint8Array(8);
  for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
    if (readSync(fd, head, 0, 8, at) === 8 && SIGNATURE.every((b, i) => head[i] === b)) return true;
    if (!userBlock) break;
  }
  return false;
}

type H5wasm = typeof import('h5wasm/node').default;
type H5Module = Awaited<H5wasm['ready']>;
let library: Promise<H5wasm> | null = null;
let loadedModule: H5Module | null = null;

/** h5wasm, loaded once, with HDF5's error stack turned into thrown errors (not printed to stderr). */
function h5wasm(): Promise<H5wasm> {
  library ??= import('h5wasm/node').then(async ({ default: h5 }) => {
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    loadedModule = module;
    return h5;
  });
  return library;
}

/** The WebAssembly module (its heap and the C-level reads), once withHdf5File has loaded it. */
export function hdf5Module(): H5Module {
  if (!loadedModule) throw new Error('hdf5Module: h5wasm is not loaded yet (open files with withHdf5File)');
  return loadedModule;
}

/** The innermost message of an HDF5 error stack ('file signature not found', ...), as one line. */
export function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const frames = text.split('\n').flatMap((l) => /#\d+: .* in [\w.]+\(\): (.*)$/.exec(l)?.[1] ?? []);
  const reason = (frames.at(-1) ?? text.split('\n')[0] ?? '').trim();
  const cut = /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(reason);
  if (cut) return `truncated: the file holds ${cut[1]} of the ${cut[2]} bytes it was written with`;
  return reason.replace(/^Error: /, '');
}

/** An error raised by HDF5 / h5wasm (a plain Error), as opposed to one of ours or a bug. */
function isLibraryError(e: unknown): boolean {
  return e instanceof Error && e.constructor === Error;
}

/**
 * Open `path` read-only as HDF5, run `read` on it, close it. Missing or unreadable files, files
 * without the HDF5 signature and files HDF5 cannot open (truncated, damaged) are InputErrors
 * naming the file; so are HDF5 errors raised while `read` runs.
 */
export async function withHdf5File<T>(path: string, read: (file: H5File) => T): Promise<T> {
  withInputFile(path, (fd) => {
    if (fstatSync(fd).size === 0) throw new InputError(`${path}: the file is empty (0 bytes)`);
    if (!hasHdf5Signature(fd, true))
      throw new InputError(`${path}: not an HDF5 file (no HDF5 signature \\x89HDF\\r\\n\\x1a\\n at its start)`);
  });
  const h5 = await h5wasm();
  let file: H5File;
  try {
    file = new h5.File(path, 'r');
  } catch (e) {
    throw isLibraryError(e) ? new InputError(`${path}: cannot open it as HDF5 (${hdf5Reason(e)})`) : e;
  }
  try {
    return read(file);
  } catch (e) {
    throw isLibraryError(e) ? new InputError(`${path}: cannot read it as HDF5 (${hdf5Reason(e)})`) : e;
  } finally {
    file.close();
  }
}

/** A dataset as `info` lists it. */
export interface Hdf5DatasetInfo {
  /** Absolute path in the file, e.g. '/entry/data/data'. */
  path: string;
  shape: number[];
  /** NumPy-style type: '<f4', '>i2', '|u1' for numbers; 'string', 'compound', 'enum', ... otherwise. */
  dtype: string;
  /** Integer or float32/64: what specmap reads. */
  numeric: boolean;
}

const CLASS_NAMES = [
  'integer',
  'float',
  'time',
  'string',
  'bitfield',
  'opaque',
  'compound',
  'reference',
  'enum',
  'vlen',
  'array',
];

export function describeType(m: Metadata): { dtype: string; numeric: boolean } {
  const order = m.size === 1 ? '|' : m.littleEndian ? '<' : '>';
  if (m.type === 0 && [1, 2, 4, 8].includes(m.size))
    return { dtype: `${order}${m.signed ? 'i' : 'u'}${m.size}`, numeric: true };
  if (m.type === 1) return { dtype: `${order}f${m.size}`, numeric: m.size === 4 || m.size === 8 };
  return { dtype: CLASS_NAMES[m.type] ?? `class ${m.type}`, numeric: false };
}

type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;
type NumericArrayType = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => NumericArray;

const INTEGER_ARRAYS: Record<number, [NumericArrayType, NumericArrayType]> = {
  1: [Int8Array, Uint8Array],
  2: [Int16Array, Uint16Array],
  4: [Int32Array, Uint32Array],
  8: [BigInt64Array, BigUint64Array],
};

/** The typed array that views a numeric dataset's values as HDF5 reads them (little-endian). */
export function arrayTypeOf(m: Metadata): NumericArrayType {
  const t =
    m.type === 0
      ? INTEGER_ARRAYS[m.size]?.[m.signed ? 0 : 1]
      : m.type === 1
        ? { 4: Float32Array, 8: Float64Array }[m.size]
        : undefined;
  if (!t) throw new Error(`arrayTypeOf: not a numeric type (class ${m.type}, ${m.size} bytes)`);
  return t as NumericArrayType;
}

export function datasetInfo(ds: Dataset): Hdf5DatasetInfo {
  const m = ds.metadata;
  return { path: absolute(ds.path), shape: m.shape ?? [], ...describeType(m) };
}

export function absolute(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}

/** 'Dataset', 'Group', 'ExternalLink', 'BrokenSoftLink', ... for what file.get returned; 'none' for null. */
export function entityKind(e: Entity | null): string {
  return e && 'type' in e ? String(e.type) : e ? 'other' : 'none';
}

/** The dataset's address in the file: the same for every name (link) that reaches it. */
function objectKey(ds: Dataset): string {
  return ds.create_reference().ref_data.join(',');
}

/**
 * `ds` as `datasets` (from listDatasets) lists it: under the name listed first when links give it
 * several, so a dataset chosen through an alias is the one `info` marks as read.
 */
export function listedInfo(file: H5File, ds: Dataset, datasets: Hdf5DatasetInfo[]): Hdf5DatasetInfo {
  const key = objectKey(ds);
  return (
    datasets.find((d) => d.path === absolute(ds.path)) ??
    datasets.find((d) => objectKey(file.get(d.path) as Dataset) === key) ??
    datasetInfo(ds)
  );
}

/**
 * Every dataset in the file, in HDF5's name order, each once: a dataset reached by more names
 * (hard or soft links, as NeXus links /entry/data/data to the detector's data) is listed under
 * its first name. Links to other files are skipped.
 */
export function listDatasets(file: H5File): Hdf5DatasetInfo[] {
  const out: Hdf5DatasetInfo[] = [];
  const seen = new Set<string>();
  for (const p of file.paths()) {
    const e = file.get(p);
    if (entityKind(e) !== 'Dataset') continue;
    const ds = e as Dataset;
    const object = objectKey(ds);
    if (seen.has(object)) continue;
    seen.add(object);
    out.push(datasetInfo(ds));
  }
  return out;
}

export function describeShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** '/entry/data/data (20, 30, 100) <i2' — how messages and `info` name a dataset. */
export function datasetLabel(d: Hdf5DatasetInfo): string {
  return `${d.path} ${describeShape(d.shape)} ${d.dtype}`;
}
