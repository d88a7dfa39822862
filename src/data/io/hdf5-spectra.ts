// Node-only: which dataset of an HDF5/NeXus file holds the spectra (--dataset, else the NeXus
// default/signal chain, else the one numeric 2-D or 3-D dataset), its energy axis (NeXus @axes),
// and reading it into float32 a hyperslab at a time.
import type { Dataset, Entity, File as H5File, Group } from 'h5wasm/node';
import { InputError } from '../../engine/errors.js';
import {
  absolute,
  arrayTypeOf,
  datasetInfo,
  datasetLabel,
  describeShape,
  entityKind,
  hdf5Module,
  listDatasets,
  listedInfo,
  type Hdf5DatasetInfo,
} from './hdf5-file.js';
import { chooseHyperspySignal, hyperspyEnergyAxis, hyperspySignals, type HyperspyAxis } from './hyperspy.js';
import { READ_CHUNK_BYTES } from './npy-stream.js';

const MAX_LISTED = 8;

/** '/a (2, 3) <f4, /b (4,) <i2, … (12 in all)': datasets named in a one-line message. */
function listing(ds: Hdf5DatasetInfo[]): string {
  if (ds.length === 0) return 'none';
  const shown = ds.slice(0, MAX_LISTED).map(datasetLabel).join(', ');
  return ds.length > MAX_LISTED ? `${shown}, … (${ds.length} in all)` : shown;
}

function isSpectraCandidate(d: Hdf5DatasetInfo): boolean {
  return d.numeric && (d.shape.length === 2 || d.shape.length === 3);
}

/** A string attribute (h5py writes str attributes as variable-length strings), else null. */
function stringAttr(obj: Group | Dataset, name: string): string | null {
  if (!(name in obj.attrs)) return null;
  const v = obj.get_attribute(name, true);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return null;
}

function entity(
  file: H5File,
  path: string,
): { kind: 'Dataset' | 'Group' | 'other' | 'none'; obj: Group | Dataset | null } {
  let e: Entity | null;
  try {
    e = file.get(path);
  } catch {
    e = null; // HDF5 refuses to look up a path through a missing group: it is not there either
  }
  const type = entityKind(e);
  if (type === 'none') return { kind: 'none', obj: null };
  if (type === 'Dataset') return { kind: 'Dataset', obj: e as Dataset };
  if (type === 'Group') return { kind: 'Group', obj: e as Group };
  return { kind: 'other', obj: null };
}

const join = (group: string, name: string) => (name.startsWith('/') ? name : `${group === '/' ? '' : group}/${name}`);

/**
 * Follow NeXus defaults from the root: NXroot@default → NXentry@default → NXdata@signal.
 * Returns the signal dataset's path when the chain ends in one, and the deepest group reached.
 */
export function nexusSignal(file: H5File): { group: string; signal: string | null } {
  let group = '/';
  for (let depth = 0; depth < 4; depth++) {
    const g = entity(file, group).obj as Group;
    const signal = stringAttr(g, 'signal');
    if (signal !== null && entity(file, join(group, signal)).kind === 'Dataset')
      return { group, signal: join(group, signal) };
    const next = stringAttr(g, 'default');
    if (next === null || entity(file, join(group, next)).kind !== 'Group') break;
    group = join(group, next);
  }
  return { group, signal: null };
}

/**
 * The @signal datasets of every NXdata group in the file (HyperSpy's NeXus writer puts each signal
 * in /entryN/<title> with @signal but sets no root @default).
 */
function nxdataSignals(file: H5File): string[] {
  const out: string[] = [];
  for (const p of file.paths()) {
    const e = entity(file, p);
    if (e.kind !== 'Group') continue;
    const g = e.obj as Group;
    const signal = stringAttr(g, 'signal');
    if (stringAttr(g, 'NX_class') !== 'NXdata' || signal === null) continue;
    const path = join(absolute(p), signal);
    if (entity(file, path).kind === 'Dataset') out.push(path);
  }
  return out;
}

export interface ChosenSpectra {
  info: Hdf5DatasetInfo;
  /** The NeXus @axes entry for the last (energy) dimension, when the dataset is an NXdata signal. */
  axis: string | null;
  /** The energy axis of a HyperSpy signal (.hspy axis-i groups), when the dataset is one. */
  calibration: HyperspyAxis | null;
  /** Every dataset in the file (for `info`). */
  datasets: Hdf5DatasetInfo[];
}

/** Throw unless the dataset is numeric with rank 2 or 3 (or 1: one spectrum, where `single` allows it). */
function checkSpectraDataset(d: Hdf5DatasetInfo, name: string, single: boolean): void {
  const where = `${name}: dataset ${d.path}`;
  if (!d.numeric) {
    const why =
      d.dtype.startsWith('<f2') || d.dtype.startsWith('>f2')
        ? `float16 ('${d.dtype}') is not supported`
        : `holds ${d.dtype} values, not numbers`;
    throw new InputError(`${where} ${why} (specmap reads integer and float32/64 datasets)`);
  }
  if (d.shape.length !== 2 && d.shape.length !== 3 && !(single && d.shape.length === 1)) {
    throw new InputError(
      `${where} has shape ${describeShape(d.shape)}: expected a 3-D [ny, nx, channels] map or a 2-D [spectra, channels] list${single ? ' or a 1-D spectrum' : ''}`,
    );
  }
  if (d.shape.includes(0)) throw new InputError(`${where} holds no spectra (shape ${describeShape(d.shape)})`);
}

/** An @axes entry that names an energy axis: by its name, or by its dataset's @units (eV, keV, meV). */
function energyLike(file: H5File, groupPath: string, axisName: string): boolean {
  if (/energy|photon|binding|kinetic|^(e|ev|be|ke)$/i.test(axisName)) return true;
  const e = entity(file, join(groupPath, axisName));
  return e.kind === 'Dataset' && /^[km]?ev$/i.test((stringAttr(e.obj as Dataset, 'units') ?? '').trim());
}

/**
 * The last-dimension entry of the NXdata group's @axes when `path` is that group's @signal. An
 * @axes that puts an energy axis on another dimension ([energy, y, x], as some beamlines save
 * stacks) is refused: read as [ny, nx, channels] it would be a map of the wrong shape whose
 * "energy" is the x axis.
 */
function nexusEnergyAxis(file: H5File, path: string, rank: number, name: string): string | null {
  const cut = path.lastIndexOf('/');
  const groupPath = cut <= 0 ? '/' : path.slice(0, cut);
  const group = entity(file, groupPath).obj as Group;
  if (stringAttr(group, 'signal') !== path.slice(cut + 1) || !('axes' in group.attrs)) return null;
  const raw = group.get_attribute('axes', true);
  // NeXus writes an array of names; older files one string 'y:x:energy' (or comma-separated).
  const names = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.split(/[:,\s]+/).filter(Boolean)
      : [];
  const last = names.length === rank ? names[rank - 1] : undefined;
  if (last !== undefined) {
    const energyAt = names.findIndex((n, i) => i < rank - 1 && n !== '.' && energyLike(file, groupPath, n));
    if (energyAt >= 0 && (last === '.' || !energyLike(file, groupPath, last))) {
      throw new InputError(
        `${name}:${path}: NeXus @axes [${names.join(', ')}] put the energy axis '${names[energyAt]}' on dimension ${energyAt} of ${rank}; ` +
          `specmap reads spectra with energy last ([ny, nx, channels] or [n, channels]): save the data with that axis last (NumPy: np.moveaxis(a, ${energyAt}, -1))`,
      );
    }
  }
  if (!last || last === '.') return null;
  const axis = join(groupPath, last);
  return entity(file, axis).kind === 'Dataset' ? axis : null;
}

/**
 * The spectra dataset of `file`: `requested` (--dataset) if given; else the NeXus signal; else the
 * one numeric 2-D/3-D dataset under the deepest NeXus default group, or in the whole file. `name`
 * (the file name) starts every error, which lists the candidates when the choice is not clear.
 */
export function chooseSpectra(file: H5File, name: string, requested?: string): ChosenSpectra {
  const datasets = listDatasets(file);
  let info: Hdf5DatasetInfo | undefined;
  /** The name the dataset was reached by (its NXdata group's @axes apply), which may be an alias of the listed one. */
  let reached: string | undefined;
  if (requested !== undefined) {
    const path = absolute(requested.trim());
    const e = entity(file, path);
    if (e.kind === 'Group') {
      const under = datasets.filter((d) => d.path.startsWith(`${path === '/' ? '' : path}/`));
      throw new InputError(`${name}: --dataset ${path} is a group, not a dataset (datasets in it: ${listing(under)})`);
    }
    if (e.kind !== 'Dataset') throw new InputError(`${name}: no dataset ${path} (datasets: ${listing(datasets)})`);
    info = listedInfo(file, e.obj as Dataset, datasets);
    reached = path;
  } else {
    const nexus = nexusSignal(file);
    const hyperspy = nexus.signal === null ? hyperspySignals(file) : [];
    const nxdata = nexus.signal === null && hyperspy.length === 0 ? nxdataSignals(file) : [];
    const signal =
      nexus.signal ??
      (hyperspy.length > 0 ? chooseHyperspySignal(hyperspy, name) : nxdata.length === 1 ? nxdata[0]! : null);
    if (signal !== null) {
      info = listedInfo(file, entity(file, signal).obj as Dataset, datasets);
      reached = signal;
    } else {
      const candidates = datasets.filter(isSpectraCandidate);
      const inDefault = candidates.filter((d) => nexus.group !== '/' && d.path.startsWith(`${nexus.group}/`));
      const pick = inDefault.length === 1 ? inDefault : candidates;
      if (pick.length === 1) info = pick[0];
      else if (pick.length === 0)
        throw new InputError(
          `${name}: no numeric 2-D or 3-D dataset to read as spectra (datasets: ${listing(datasets)})`,
        );
      else
        throw new InputError(
          `${name}: ${pick.length} datasets could hold the spectra: ${listing(pick)}; choose one with --dataset PATH`,
        );
    }
  }
  const path = reached ?? info!.path;
  const calibration = info!.shape.length >= 1 ? hyperspyEnergyAxis(file, path, info!.shape, name) : null;
  // A 1-D dataset is one spectrum when it is a HyperSpy signal (else it is an axis).
  checkSpectraDataset(info!, name, calibration !== null || hyperspySignals(file).includes(path));
  return {
    info: info!,
    axis: nexusEnergyAxis(file, path, info!.shape.length, name),
    calibration,
    datasets,
  };
}

type Read = ArrayLike<number | bigint> & { length: number };

function copyInto(out: Float32Array, values: Read, at: number): void {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < values.length; i++) out[at + i] = Number(values[i]!);
  } else {
    out.set(values as ArrayLike<number>, at);
  }
}

/** Hyperslabs of whole spectra, at most `perRead` spectra each: [offset, count, index of its first value]. */
function* slabs(shape: number[], perRead: number): Generator<[number[], number[], number]> {
  const channels = shape[shape.length - 1]!;
  if (shape.length === 1) {
    yield [[0], [channels], 0];
    return;
  }
  if (shape.length === 2) {
    const n = shape[0]!;
    for (let i = 0; i < n; i += perRead) yield [[i, 0], [Math.min(perRead, n - i), channels], i * channels];
    return;
  }
  const [ny, nx] = [shape[0]!, shape[1]!];
  if (perRead >= nx) {
    const rows = Math.floor(perRead / nx);
    for (let y = 0; y < ny; y += rows) yield [[y, 0, 0], [Math.min(rows, ny - y), nx, channels], y * nx * channels];
    return;
  }
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x += perRead)
      yield [[y, x, 0], [1, Math.min(perRead, nx - x), channels], (y * nx + x) * channels];
  }
}

/**
 * The dataset `info` (rank 2 or 3, numeric) as float32 in C order. HDF5 reads hyperslabs of whole
 * spectra, about `chunkBytes` each, into one buffer in the WebAssembly heap, converted from there
 * into the result: neither a full-precision copy nor the whole dataset in the wasm heap is ever
 * held — the memory behaviour of the .npy reader.
 */
export function readSpectraFloat32(file: H5File, info: Hdf5DatasetInfo, chunkBytes = READ_CHUNK_BYTES): Float32Array {
  const ds = entity(file, info.path).obj as Dataset;
  const meta = ds.metadata;
  const View = arrayTypeOf(meta);
  const shape = info.shape;
  const channels = shape[shape.length - 1]!;
  const spectra = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(spectra * channels);
  const perRead = Math.max(1, Math.floor(chunkBytes / (channels * meta.size)));
  const M = hdf5Module();
  const bytes = Math.min(perRead, spectra) * channels * meta.size;
  const ptr = M._malloc(bytes);
  if (ptr === 0)
    throw new InputError(
      `${file.filename}:${info.path}: cannot allocate ${bytes} bytes in the WebAssembly heap to read it`,
    );
  try {
    for (const [offset, count, at] of slabs(shape, perRead)) {
      const big = (v: number[]) => v.map(BigInt);
      M.get_dataset_data(file.file_id, info.path, big(count), big(offset), big(count.map(() => 1)), BigInt(ptr));
      // The heap may have grown (a new buffer) during the read: view it only now.
      copyInto(
        out,
        new View(
          M.HEAPU8.buffer,
          ptr,
          count.reduce((a, b) => a * b, 1),
        ),
        at,
      );
    }
  } finally {
    M._free(ptr);
  }
  return out;
}

/**
 * A 1-D numeric dataset (an energy axis) as float64 with its @units attribute. `path` null: the
 * file's only 1-D numeric dataset. `name` is the file name.
 */
export function readAxis(
  file: H5File,
  name: string,
  path: string | null,
): { energy: Float64Array; unit: string | null; path: string } {
  if (path === null) {
    const ones = listDatasets(file).filter((d) => d.numeric && d.shape.filter((n) => n !== 1).length === 1);
    if (ones.length !== 1) {
      throw new InputError(
        `${name}: ${ones.length === 0 ? 'no 1-D numeric dataset' : `${ones.length} 1-D datasets`} to read as the energy axis (${listing(ones)}); name one as --energy ${name}:/path`,
      );
    }
    path = ones[0]!.path;
  }
  const e = entity(file, absolute(path));
  if (e.kind !== 'Dataset')
    throw new InputError(
      `${name}: no dataset ${absolute(path)} for the energy axis (datasets: ${listing(listDatasets(file))})`,
    );
  const ds = e.obj as Dataset;
  const d = datasetInfo(ds);
  if (!d.numeric)
    throw new InputError(`${name}: dataset ${d.path} holds ${d.dtype} values, not an energy axis of numbers`);
  if (d.shape.filter((n) => n !== 1).length > 1)
    throw new InputError(`${name}:${d.path}: an energy axis must be 1-D, got shape ${describeShape(d.shape)}`);
  const values = ds.value as Read;
  const energy = Float64Array.from({ length: values.length }, (_, i) => Number(values[i]!));
  return { energy, unit: stringAttr(ds, 'units'), path: d.path };
}
