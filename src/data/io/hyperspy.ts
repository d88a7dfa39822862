// Node-only: HyperSpy's own HDF5 layout (.hspy, also what RosettaSciIO writes): the signal at
// /Experiments/<title>/data, one group axis-i per array dimension holding name, units, offset,
// scale, size and navigate (false for the signal axis) as attributes, or a non-uniform axis as
// an 'axis' array.
import type { Dataset, Entity, File as H5File, Group } from 'h5wasm/node';
import { InputError } from '../../engine/errors.js';
import { entityKind } from './hdf5-file.js';

const EXPERIMENTS = '/Experiments';

function get(file: H5File, path: string): Entity | null {
  try {
    return file.get(path);
  } catch {
    return null;
  }
}

/** The signal datasets /Experiments/<title>/data of a HyperSpy file (none: not one). */
export function hyperspySignals(file: H5File): string[] {
  const root = get(file, EXPERIMENTS);
  if (entityKind(root) !== 'Group') return [];
  return (root as Group)
    .keys()
    .map((k) => `${EXPERIMENTS}/${k}/data`)
    .filter((p) => entityKind(get(file, p)) === 'Dataset');
}

export interface HyperspyAxis {
  energy: Float64Array;
  unit: string | null;
  /** The axis's name in the file ('Energy'), or null. */
  name: string | null;
  /** Where it was read, for messages: 'FILE:/Experiments/x/axis-2'. */
  source: string;
}

function attr(g: Group, key: string): unknown {
  if (!(key in g.attrs)) return undefined;
  const v = g.get_attribute(key, true);
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' && v !== '<undefined>' ? v.trim() : null;
}

/** HyperSpy writes navigate as a bool (h5py: an enum), older files as 0/1 or a string. */
function navigates(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
  if (typeof v === 'string') return /^true$/i.test(v) ? true : /^false$/i.test(v) ? false : null;
  return null;
}

function axisValues(file: H5File, g: Group, path: string, size: number, where: string): Float64Array {
  // A non-uniform axis (HyperSpy >= 1.7) keeps its values; a uniform one offset + i·scale.
  const stored = get(file, `${path}/axis`);
  const values = entityKind(stored) === 'Dataset' ? (stored as Dataset).value : attr(g, 'axis');
  if (values !== undefined && values !== null && typeof values === 'object' && 'length' in values) {
    const a = values as ArrayLike<number | bigint>;
    return Float64Array.from({ length: a.length }, (_, i) => Number(a[i]!));
  }
  const offset = Number(attr(g, 'offset') ?? 0);
  const scale = Number(attr(g, 'scale') ?? 1);
  if (!Number.isFinite(offset) || !Number.isFinite(scale) || scale === 0)
    throw new InputError(`${where}: axis offset ${offset} and scale ${scale} do not make an energy axis`);
  return Float64Array.from({ length: size }, (_, i) => offset + i * scale);
}

/**
 * The energy axis of the HyperSpy signal at `dataPath` (rank `rank`): its one signal axis, which
 * must be the last array dimension (specmap reads [ny, nx, channels]); null when the file holds
 * no axis groups. `name` is the file name for messages.
 */
export function hyperspyEnergyAxis(file: H5File, dataPath: string, shape: number[], name: string): HyperspyAxis | null {
  const group = dataPath.slice(0, dataPath.lastIndexOf('/'));
  const rank = shape.length;
  const axes: { g: Group; path: string; navigate: boolean | null; name: string | null }[] = [];
  for (let i = 0; i < rank; i++) {
    const path = `${group}/axis-${i}`;
    const e = get(file, path);
    if (entityKind(e) !== 'Group') return null;
    const g = e as Group;
    axes.push({ g, path, navigate: navigates(attr(g, 'navigate')), name: text(attr(g, 'name')) });
  }
  // Without navigate flags HyperSpy's rule applies: the last dimension is the signal.
  const signal = axes.map((a, i) => a.navigate === false || (a.navigate === null && i === rank - 1));
  const count = signal.filter(Boolean).length;
  const label = (i: number) => `axis-${i}${axes[i]!.name ? ` '${axes[i]!.name}'` : ''}`;
  if (count > 1)
    throw new InputError(
      `${name}:${dataPath}: a HyperSpy signal with ${count} signal axes (${signal.flatMap((s, i) => (s ? [label(i)] : [])).join(', ')}): images, not spectra; specmap reads spectra (Signal1D)`,
    );
  const at = signal.indexOf(true);
  if (at >= 0 && at !== rank - 1)
    throw new InputError(
      `${name}:${dataPath}: the HyperSpy signal axis ${label(at)} is dimension ${at} of ${rank}; specmap reads spectra with energy last: in HyperSpy, s.as_signal1D(${at}).save(...)`,
    );
  const last = axes[rank - 1]!;
  const where = `${name}:${last.path}`;
  const energy = axisValues(file, last.g, last.path, shape[rank - 1]!, where);
  return { energy, unit: text(attr(last.g, 'units')), name: last.name, source: where };
}

/** The one HyperSpy signal of the file, or an error listing them when there are several. */
export function chooseHyperspySignal(signals: string[], name: string): string {
  if (signals.length === 1) return signals[0]!;
  throw new InputError(
    `${name}: ${signals.length} HyperSpy signals: ${signals.join(', ')}; choose one with --dataset PATH`,
  );
}
