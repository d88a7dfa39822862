// Node-only: read a spectrum image (and its energy axis) from files. Browser front ends call
// decodeSpectrumImage with the bytes instead.
import { fstatSync } from 'node:fs';
import type { SpectrumImage } from '../types.js';
import {
  checkDatasetOption,
  checkSpectraExtension,
  decodeSpectrumImage,
  extensionOf,
  SPECTRA_EXTENSIONS,
  spectrumImageFromNpy,
  spectrumImageFromNpz,
  type DecodeOptions,
} from './decode-spectra.js';
import { decodeEnergyAxis } from './energy-axis.js';
import { HDF5_EXTENSIONS, hasHdf5Signature, withHdf5File } from './hdf5-file.js';
import { chooseSpectra, readAxis, readSpectraFloat32 } from './hdf5-spectra.js';
import { readInputFile, withInputFile } from './input-file.js';
import { readAt, readNpyAsFloat32 } from './npy-file.js';
import { readNpzAxis, type NpzSource } from './npz.js';

export interface LoadOptions extends Omit<DecodeOptions, 'energy' | 'energySource' | 'energyAxisUnit'> {
  /**
   * The energy axis: .npy, text with one value per line (or one row), an HDF5 dataset as
   * 'FILE.h5:/path' ('FILE.h5' alone: its only 1-D numeric dataset), or a .npz member as
   * 'FILE.npz:name' ('FILE.npz' alone: its only 1-D numeric array).
   */
  energyFile?: string;
  /** HDF5 input: the dataset holding the spectra, e.g. '/entry/data/data'; .npz: the array's key, e.g. 'arr_0'. */
  dataset?: string;
}

/**
 * Whether `path` is read as HDF5: an HDF5 extension (.h5 .hdf5 .nxs .nx5; the signature is checked
 * when it is opened), or an extension no other reader takes with the HDF5 signature at byte 0
 * (e.g. a NeXus file saved as '.data').
 */
export function isHdf5Input(path: string): boolean {
  const ext = extensionOf(path);
  if (HDF5_EXTENSIONS.includes(ext)) return true;
  if (SPECTRA_EXTENSIONS.includes(ext)) return false;
  try {
    return withInputFile(path, (fd) => hasHdf5Signature(fd, false));
  } catch {
    return false; // unreadable: the extension check below says what is wrong with the name
  }
}

/** 'map.h5:/entry/energy' → the file and the dataset (null: none named), when the file is HDF5. */
export function splitHdf5Ref(spec: string): { file: string; dataset: string | null } | null {
  const colon = spec.lastIndexOf(':');
  if (colon > 0 && HDF5_EXTENSIONS.includes(extensionOf(spec.slice(0, colon))))
    return { file: spec.slice(0, colon), dataset: spec.slice(colon + 1) || null };
  if (HDF5_EXTENSIONS.includes(extensionOf(spec))) return { file: spec, dataset: null };
  return null;
}

/** 'scan.npz:energy' → the file and the member (null: none named), when the file is a .npz. */
export function splitNpzRef(spec: string): { file: string; member: string | null } | null {
  const colon = spec.lastIndexOf(':');
  if (colon > 0 && extensionOf(spec.slice(0, colon)) === '.npz')
    return { file: spec.slice(0, colon), member: spec.slice(colon + 1) || null };
  if (extensionOf(spec) === '.npz') return { file: spec, member: null };
  return null;
}

/** The archive open as `fd`, read in place (only the directory, headers and the chosen member are read). */
function fdSource(fd: number): NpzSource {
  return { read: (at, n) => readAt(fd, at, n), size: fstatSync(fd).size };
}

async function loadEnergyAxis(spec: string): Promise<{ energy: Float64Array; unit: string | null; source: string }> {
  const npz = splitNpzRef(spec);
  if (npz) {
    const axis = withInputFile(npz.file, (fd) => readNpzAxis(fdSource(fd), npz.file, npz.member));
    return { energy: axis.energy, unit: null, source: `${npz.file}:${axis.path}` };
  }
  const ref = splitHdf5Ref(spec);
  if (!ref) return { ...decodeEnergyAxis(readInputFile(spec), spec), source: spec };
  const axis = await withHdf5File(ref.file, (f) => readAxis(f, ref.file, ref.dataset));
  return { energy: axis.energy, unit: axis.unit, source: `${ref.file}:${axis.path}` };
}

/**
 * An HDF5/NeXus spectrum image: the dataset chosen by chooseSpectra, read in hyperslabs into
 * float32. Without an energy axis from the options, a NeXus @axes dataset for the last dimension
 * becomes the axis (bin edges, one more value than channels, become their centres). Messages
 * name the data 'FILE:/path/of/dataset'.
 */
async function loadHdf5(path: string, decode: DecodeOptions, dataset: string | undefined): Promise<SpectrumImage> {
  const { arr, chosen, axis } = await withHdf5File(path, (file) => {
    const chosen = chooseSpectra(file, path, dataset);
    const userAxis = decode.energy !== undefined || decode.e0 !== undefined || decode.de !== undefined;
    const axis = chosen.axis !== null && !userAxis ? readAxis(file, path, chosen.axis) : null;
    const data = readSpectraFloat32(file, chosen.info);
    return { arr: { data, shape: chosen.info.shape, dtype: chosen.info.dtype }, chosen, axis };
  });
  const opts = { ...decode };
  const userAxis = decode.energy !== undefined || decode.e0 !== undefined || decode.de !== undefined;
  if (chosen.calibration && !userAxis && !axis) {
    opts.energy = chosen.calibration.energy;
    opts.energySource = chosen.calibration.source;
    if (chosen.calibration.unit !== null) opts.energyAxisUnit = chosen.calibration.unit;
  } else if (axis) {
    const channels = chosen.info.shape[chosen.info.shape.length - 1]!;
    const e = axis.energy;
    opts.energy =
      e.length === channels + 1 ? Float64Array.from({ length: channels }, (_, i) => (e[i]! + e[i + 1]!) / 2) : e;
    opts.energySource = `${path}:${axis.path}`;
    if (axis.unit !== null) opts.energyAxisUnit = axis.unit;
  }
  const name = `${path}:${chosen.info.path}`;
  return spectrumImageFromNpy(arr, name, opts, 'hdf5', {
    file: path,
    dataset: chosen.info.path,
    datasets: chosen.datasets,
  });
}

/**
 * Load a spectrum image: .npy (3-D [ny, nx, energy] → map, 2-D [n, energy] → list, 1-D → one
 * spectrum; read in chunks straight to float32, so files over 2 GiB load), .npz (a 3-D or 2-D
 * member, read in place when stored, inflated as it is decoded when deflated), HDF5/NeXus (.h5,
 * .hdf5, .nxs, .nx5: a 3-D or 2-D dataset, read in hyperslabs) or a text table (.csv, .tsv, .txt,
 * .dat). meta holds {source, format, dtype, ...}. Every problem is an InputError naming the file.
 */
export async function loadSpectrumImage(path: string, opts: LoadOptions = {}): Promise<SpectrumImage> {
  withInputFile(path, () => undefined); // a missing file or a folder is named as such, whatever its extension
  const hdf5 = isHdf5Input(path);
  if (!hdf5) checkSpectraExtension(path, HDF5_EXTENSIONS); // before reading the data: a 10 GB .mat is refused at once
  const { energyFile, dataset, ...rest } = opts;
  const ext = extensionOf(path);
  if (!hdf5 && ext !== '.npz') checkDatasetOption(path, dataset);
  const decode: DecodeOptions = { ...rest };
  if (energyFile !== undefined) {
    const axis = await loadEnergyAxis(energyFile);
    decode.energy = axis.energy;
    decode.energySource = axis.source;
    if (axis.unit !== null) decode.energyAxisUnit = axis.unit;
  }
  if (hdf5) return loadHdf5(path, decode, dataset);
  if (ext === '.npz')
    return withInputFile(path, (fd) => spectrumImageFromNpz(fdSource(fd), path, { ...decode, dataset }));
  if (ext === '.npy')
    return spectrumImageFromNpy(
      withInputFile(path, (fd) => readNpyAsFloat32(path, fd)),
      path,
      decode,
    );
  return decodeSpectrumImage(readInputFile(path), path, decode);
}
