// A file's bytes → SpectrumImage. Browser-safe (a front end passes the bytes of a dropped file);
// the Node loader (load.ts) reads files and calls this.
import { InputError } from '../../engine/errors.js';
import { makeSpectrumImage, type SpectrumImage } from '../types.js';
import { EMSA_EXTENSIONS, parseEmsa } from './emsa.js';
import { checkEnergyAxis, firstNonMonotonic, linearEnergy, unitFromName } from './energy-axis.js';
import { parseNpy, type NpyArray } from './npy.js';
import { bytesSource, chooseNpzMember, listNpzMembers, readNpzMember, type NpzSource } from './npz.js';
import { parseTextTable, type TextTableOptions } from './text-table.js';

export const SPECTRA_EXTENSIONS = ['.npy', '.npz', '.csv', '.tsv', '.txt', '.dat', ...EMSA_EXTENSIONS];

export interface DecodeOptions {
  /** An explicit energy axis (e.g. read from an energy file); wins over everything else. */
  energy?: Float64Array;
  /** Where `energy` came from, for messages (default 'energy axis'). */
  energySource?: string;
  /** The unit stored with `energy` in its file (HDF5 @units, .hspy axis units), if any. */
  energyAxisUnit?: string;
  /** A linear axis e0 + i·de (give both). */
  e0?: number;
  de?: number;
  /** Unit of the energy axis, overriding the file's (default: the file's own — HDF5 @units, .hspy axis, EMSA #XUNITS, a CSV header — else 'eV'; 'channel' without an axis). */
  energyUnit?: string;
  /** Text tables: each row is a spectrum and the first row holds the energies. */
  rowsAsSpectra?: boolean;
  /** Text tables in columns: whether the first column is the energy axis (default: when there are ≥ 2 columns). */
  energyColumn?: boolean;
  /** Text tables: whether the first row is a header of names (default: when it holds a non-number). */
  header?: TextTableOptions['header'];
  /** .npz: the array holding the spectra, by its key ('arr_0', 'data'); default: the only numeric 2-D/3-D one. (HDF5: the dataset path, Node loader.) */
  dataset?: string;
}

/** How to get a .npy out of formats users often have instead (the Node loader reads HDF5 itself). */
const CONVERT_HINTS: Record<string, string> = {
  '.h5': "save the dataset: np.save('map.npy', h5py.File(f)['path/to/data'][()])",
  '.hdf5': "save the dataset: np.save('map.npy', h5py.File(f)['path/to/data'][()])",
  '.nxs': "save the NeXus dataset: np.save('map.npy', h5py.File(f)['entry/data/data'][()])",
  '.mat': "save the variable: np.save('map.npy', scipy.io.loadmat(f)['name'])",
  '.tif': "save the stack: np.save('map.npy', tifffile.imread(f)) (then check which axis is energy)",
  '.tiff': "save the stack: np.save('map.npy', tifffile.imread(f)) (then check which axis is energy)",
};

/** Instrument formats specmap does not read, by extension: what writes them. HyperSpy reads them all. */
const INSTRUMENT_FORMATS: Record<string, string> = {
  '.bcf': 'a Bruker Esprit spectrum image',
  '.spx': 'a Bruker spectrum',
  '.pts': 'a JEOL spectrum image',
  '.dm3': 'a Gatan DigitalMicrograph file',
  '.dm4': 'a Gatan DigitalMicrograph file',
  '.emi': 'an FEI TIA file',
  '.ser': 'an FEI TIA file',
};

/** One line: which instrument format `name` is and the two HyperSpy (RosettaSciIO) lines that make it a .hspy. */
function instrumentHint(name: string, ext: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const out = `${base.slice(0, base.length - ext.length)}.hspy`;
  // .bcf and .pts hold an image beside the spectra: hs.load gives a list whose last item is the EDS signal.
  const pick = ext === '.bcf' || ext === '.pts' ? '[-1]' : '';
  return (
    `${name}: ${INSTRUMENT_FORMATS[ext]} (${ext}), which specmap does not read: convert it to .hspy with HyperSpy ` +
    `(RosettaSciIO) in Python: import hyperspy.api as hs; hs.load('${base}')${pick}.save('${out}') — then specmap reads ${out} with its energy axis`
  );
}

/**
 * Throw unless `name` has an extension specmap reads (`extra`: more that the caller reads, as the
 * Node loader reads HDF5); the message says how to convert common others.
 */
export function checkSpectraExtension(name: string, extra: readonly string[] = []): void {
  const ext = extensionOf(name);
  const supported = [...SPECTRA_EXTENSIONS, ...extra];
  if (supported.includes(ext)) return;
  if (ext in INSTRUMENT_FORMATS) throw new InputError(instrumentHint(name, ext));
  const hint = extra.includes(ext) ? undefined : CONVERT_HINTS[ext];
  throw new InputError(
    `${name}: unknown file type '${ext || '(no extension)'}' (supported: ${supported.join(', ')})${hint ? `; ${hint}` : ''}`,
  );
}

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

interface Decoded {
  data: Float32Array;
  ny: number;
  nx: number;
  channels: number;
  layout: 'map' | 'list';
  energy: Float64Array | null;
  unit: string | null;
  /** Where the file's own energy axis is ('the first column', '#OFFSET + i·#XPERCHAN'), for info. */
  energySource?: string;
  meta: Record<string, unknown>;
}

function fromNpy(arr: NpyArray, name: string): Decoded {
  const s = arr.shape;
  let ny = 1;
  let nx = 1;
  if (s.length === 3) [ny, nx] = [s[0]!, s[1]!];
  else if (s.length === 2) nx = s[0]!;
  else if (s.length !== 1) {
    throw new InputError(
      `${name}: expected a 3-D [ny, nx, energy] map, a 2-D [spectra, energy] list or one 1-D spectrum, got shape (${s.join(', ')})`,
    );
  }
  let channels = s[s.length - 1]!;
  if (ny * nx * channels === 0) throw new InputError(`${name}: holds no spectra (shape (${s.join(', ')}))`);
  if (channels === 1 && s.length === 2 && nx > 1) {
    // A column (n, 1), as Velox .emd stores a spectrum: one spectrum of n channels, not n one-channel ones.
    [nx, channels] = [1, nx];
  } else if (channels === 1 && s.length === 3) {
    throw new InputError(
      `${name}: shape (${s.join(', ')}) holds one value per pixel, not spectra (specmap reads [ny, nx, channels] with energy last)`,
    );
  }
  const data = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data);
  return {
    data,
    ny,
    nx,
    channels,
    layout: s.length === 3 ? 'map' : 'list',
    energy: null,
    unit: null,
    meta: { dtype: arr.dtype, shape: s },
  };
}

function fromText(text: string, name: string, opts: DecodeOptions): Decoded {
  const t = parseTextTable(text, name, { header: opts.header });
  const { rows: R, cols: C, values } = t;
  const meta: Record<string, unknown> = { dtype: 'text', delimiter: t.delimiter };
  if (opts.rowsAsSpectra) {
    if (R < 2)
      throw new InputError(
        `${name}: with rows as spectra the first row holds the energies and the next rows the spectra, but there is only 1 row`,
      );
    const data = Float32Array.from(values.subarray(C));
    return {
      data,
      ny: 1,
      nx: R - 1,
      channels: C,
      layout: 'list',
      energy: values.slice(0, C),
      unit: null,
      energySource: `${name}, first row`,
      meta,
    };
  }
  const hasEnergy = opts.energyColumn ?? C >= 2;
  if (hasEnergy && C < 2)
    throw new InputError(`${name}: the first column is the energy axis but there is no column of intensities`);
  const first = hasEnergy ? 1 : 0;
  const count = C - first;
  const data = new Float32Array(count * R);
  for (let s = 0; s < count; s++) {
    for (let r = 0; r < R; r++) data[s * R + r] = values[r * C + first + s]!;
  }
  const energy = hasEnergy ? Float64Array.from({ length: R }, (_, r) => values[r * C]!) : null;
  if (
    energy &&
    !opts.energy &&
    opts.e0 === undefined &&
    firstNonMonotonic(energy) >= 0 &&
    C >= 3 &&
    firstNonMonotonic(values.subarray(0, C)) < 0
  ) {
    throw new InputError(
      `${name}: the first column is not an energy axis (not monotonic) but the first row is: one spectrum per row? ` +
        `(CLI --rows-as-spectra, library rowsAsSpectra: true)`,
    );
  }
  if (t.names) meta.names = t.names.slice(first);
  return {
    data,
    ny: 1,
    nx: count,
    channels: R,
    layout: 'list',
    energy,
    unit: hasEnergy ? unitFromName(t.names?.[0]) : null,
    energySource: `${name}, first column${t.names?.[0] ? ` '${t.names[0]}'` : ''}`,
    meta,
  };
}

function fromEmsa(text: string, name: string): Decoded {
  const e = parseEmsa(text, name);
  const meta: Record<string, unknown> = { dtype: 'text', shape: [e.values.length] };
  if (e.header.TITLE) meta.title = e.header.TITLE;
  return {
    data: Float32Array.from(e.values),
    ny: 1,
    nx: 1,
    channels: e.values.length,
    layout: 'list',
    energy: e.energy,
    unit: e.unit,
    energySource: `${name}, ${e.header.DATATYPE?.trim().toUpperCase() === 'XY' ? 'X values' : '#OFFSET + i·#XPERCHAN'}`,
    meta,
  };
}

function checkEnergyOptions(opts: DecodeOptions): boolean {
  const hasLinear = opts.e0 !== undefined || opts.de !== undefined;
  if (opts.energy && hasLinear) throw new InputError('give either an energy file or --e0/--de, not both');
  if (hasLinear && (opts.e0 === undefined || opts.de === undefined))
    throw new InputError('--e0 and --de go together: give both');
  return hasLinear;
}

/** Attach the energy axis (in order: opts.energy, opts.e0/de, the file's own, channel index) and check it. */
function finish(d: Decoded, name: string, format: string, opts: DecodeOptions): SpectrumImage {
  const hasLinear = checkEnergyOptions(opts);
  let energy = d.energy;
  let source = name;
  if (opts.energy) {
    energy = opts.energy;
    source = opts.energySource ?? 'energy axis';
  } else if (hasLinear) {
    energy = linearEnergy(opts.e0!, opts.de!, d.channels);
  }
  if (energy) {
    const shape = d.meta.shape as number[] | undefined;
    if (energy.length !== d.channels && shape && shape.length === 3 && shape[0] === energy.length) {
      // A stack saved energy-first (as many transmission X-ray microscopes write [energy, y, x]).
      throw new InputError(
        `${source}: energy axis has ${energy.length} values, as many as the first dimension of ${name} (shape (${shape.join(', ')})), ` +
          `but specmap reads the last as the energy: save the stack as [ny, nx, energy] with np.save(path, np.moveaxis(a, 0, -1))`,
      );
    }
    checkEnergyAxis(energy, d.channels, source, name);
  }
  if (!energy && opts.energyUnit !== undefined && opts.energyUnit !== 'channel')
    throw new InputError(
      `--unit ${opts.energyUnit}: ${name} has no energy axis to give a unit to (add --energy FILE or --e0 E --de D)`,
    );
  const fileUnit = energy === d.energy ? d.unit : energy === opts.energy ? (opts.energyAxisUnit ?? null) : null;
  const unit = energy ? (opts.energyUnit ?? fileUnit ?? 'eV') : 'channel';
  // Where the axis and its unit came from, for `info` and summary.json.
  const axisMeta = energy
    ? {
        energySource: hasLinear ? '--e0/--de' : energy === d.energy ? (d.energySource ?? name) : source,
        energyUnitSource: opts.energyUnit !== undefined ? 'given' : fileUnit !== null ? 'file' : 'assumed',
      }
    : {};
  return makeSpectrumImage(d.data, d.ny, d.nx, d.channels, energy ?? undefined, {
    energyUnit: unit,
    layout: d.layout,
    meta: { source: name, format, ...d.meta, ...axisMeta },
  });
}

/**
 * Decode a .npy (3-D → map, 2-D → list, 1-D → one spectrum), a .npz (its 3-D or 2-D member, see
 * spectrumImageFromNpz) or a text table of spectra.
 * The energy axis is, in order: `opts.energy`, `opts.e0`/`opts.de`, the table's energy column or
 * first row, else the channel index (unit 'channel'). `name` is the file name used in messages.
 */
export function decodeSpectrumImage(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): SpectrumImage {
  checkSpectraExtension(name);
  const ext = extensionOf(name);
  checkEnergyOptions(opts);
  if (ext === '.npz') return spectrumImageFromNpz(bytesSource(bytes), name, opts);
  checkDatasetOption(name, opts.dataset);
  const d =
    ext === '.npy'
      ? fromNpy(parseNpy(bytes, name), name)
      : EMSA_EXTENSIONS.includes(ext)
        ? fromEmsa(new TextDecoder().decode(bytes), name)
        : fromText(new TextDecoder().decode(bytes), name, opts);
  return finish(d, name, EMSA_EXTENSIONS.includes(ext) ? 'emsa' : ext.slice(1), opts);
}

/** `dataset` names an array inside an HDF5 file or a .npz: refused for other files. */
export function checkDatasetOption(name: string, dataset: string | undefined): void {
  if (dataset !== undefined) {
    throw new InputError(
      `--dataset names a dataset in an HDF5 file or an array in a .npz, but ${name} is neither (${extensionOf(name) || 'no extension'})`,
    );
  }
}

/**
 * A spectrum image from a .npz archive: the member `opts.dataset` names, else the only numeric
 * 2-D/3-D one, decoded into float32 as it is read (stored) or inflated (deflated). Messages name
 * the data 'FILE:member'; meta holds format 'npy' (the member is one), container 'npz', file,
 * dataset (the member) and datasets (every member with shape and dtype, as for HDF5).
 */
export function spectrumImageFromNpz(src: NpzSource, name: string, opts: DecodeOptions = {}): SpectrumImage {
  checkEnergyOptions(opts);
  const members = listNpzMembers(src, name);
  const m = chooseNpzMember(members, name, opts.dataset);
  const arr = readNpzMember(src, m, name);
  const datasets = members.map(({ path, shape, dtype, numeric }) => ({ path, shape, dtype, numeric }));
  return spectrumImageFromNpy(arr, `${name}:${m.path}`, opts, 'npy', {
    container: 'npz',
    file: name,
    dataset: m.path,
    datasets,
  });
}

/**
 * A spectrum image from an already read array (the Node loader streams big .npy files and HDF5
 * datasets into one). `format` and `meta` go into the image's meta beside dtype and shape.
 */
export function spectrumImageFromNpy(
  arr: NpyArray,
  name: string,
  opts: DecodeOptions = {},
  format = 'npy',
  meta: Record<string, unknown> = {},
): SpectrumImage {
  checkEnergyOptions(opts);
  const d = fromNpy(arr, name);
  d.meta = { ...d.meta, ...meta };
  return finish(d, name, format, opts);
}
