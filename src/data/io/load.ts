// Node-only: read a spectrum image (and its energy axis) from files. Browser front ends call
// decodeSpectrumImage with the bytes instead.
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { InputError } from '../../engine/errors.js';
import type { SpectrumImage } from '../types.js';
import { checkSpectraExtension, decodeSpectrumImage, extensionOf, spectrumImageFromNpy, type DecodeOptions } from './decode-spectra.js';
import { decodeEnergyAxis } from './energy-axis.js';
import { readNpyAsFloat32 } from './npy-file.js';

export interface LoadOptions extends Omit<DecodeOptions, 'energy' | 'energySource'> {
  /** A file holding the energy axis: .npy, or text with one value per line (or one row). */
  energyFile?: string;
}

function fileError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${path}: cannot read it (permission denied)`);
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new InputError(`${path}: larger than 2 GiB, too big to read as text: save the spectra as .npy (read in chunks, any size)`);
  return new InputError(`${path}: cannot read it (${code ?? (e as Error).message})`);
}

/**
 * Open `path`, run `read` on the descriptor, close it. File-system failures (missing, a folder,
 * unreadable, I/O errors) become InputErrors naming the file; read's own InputErrors pass through.
 */
export function withInputFile<T>(path: string, read: (fd: number) => T): T {
  let fd: number;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path}: is a folder, not a file`);
    fd = openSync(path, 'r');
  } catch (e) {
    throw e instanceof InputError ? e : fileError(path, e);
  }
  try {
    return read(fd);
  } catch (e) {
    throw e instanceof InputError || !(e as NodeJS.ErrnoException).code ? e : fileError(path, e);
  } finally {
    closeSync(fd);
  }
}

/** The bytes of a file, or an InputError naming it (missing, a folder, unreadable). */
export function readInputFile(path: string): Uint8Array {
  return withInputFile(path, (fd) => readFileSync(fd));
}

/**
 * Load a spectrum image by extension: .npy (3-D [ny, nx, energy] → map, 2-D [n, energy] → list,
 * 1-D → one spectrum; read in chunks straight to float32, so files over 2 GiB load) or a text
 * table (.csv, .tsv, .txt, .dat). meta holds {source, format, dtype, ...}. Every problem is an
 * InputError naming the file.
 */
export function loadSpectrumImage(path: string, opts: LoadOptions = {}): SpectrumImage {
  checkSpectraExtension(path); // before reading anything: a 10 GB .h5 is refused at once
  const { energyFile, ...rest } = opts;
  const decode: DecodeOptions = { ...rest };
  if (energyFile !== undefined) {
    const axis = decodeEnergyAxis(readInputFile(energyFile), energyFile);
    decode.energy = axis.energy;
    decode.energySource = energyFile;
    decode.energyUnit ??= axis.unit ?? undefined;
  }
  if (extensionOf(path) === '.npy') return spectrumImageFromNpy(withInputFile(path, (fd) => readNpyAsFloat32(path, fd)), path, decode);
  return decodeSpectrumImage(readInputFile(path), path, decode);
}
