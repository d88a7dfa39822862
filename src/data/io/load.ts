// Node-only: read a spectrum image (and its energy axis) from files. Browser front ends call
// decodeSpectrumImage with the bytes instead.
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../engine/errors.js';
import type { SpectrumImage } from '../types.js';
import { decodeSpectrumImage, type DecodeOptions } from './decode-spectra.js';
import { decodeEnergyAxis } from './energy-axis.js';

export interface LoadOptions extends Omit<DecodeOptions, 'energy' | 'energySource'> {
  /** A file holding the energy axis: .npy, or text with one value per line (or one row). */
  energyFile?: string;
}

/** The bytes of a file, or an InputError naming it (missing, a folder, unreadable). */
export function readInputFile(path: string): Uint8Array {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw fileError(path, e);
  }
  if (isDir) throw new InputError(`${path}: is a folder, not a file`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileError(path, e);
  }
}

function fileError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${path}: cannot read it (permission denied)`);
  return new InputError(`${path}: cannot read it (${code ?? (e as Error).message})`);
}

/**
 * Load a spectrum image by extension: .npy (3-D [ny, nx, energy] → map, 2-D [n, energy] → list,
 * 1-D → one spectrum) or a text table (.csv, .tsv, .txt, .dat). Data become Float32Array;
 * meta holds {source, format, dtype, ...}. Every problem is an InputError naming the file.
 */
export function loadSpectrumImage(path: string, opts: LoadOptions = {}): SpectrumImage {
  const { energyFile, ...rest } = opts;
  const decode: DecodeOptions = { ...rest };
  if (energyFile !== undefined) {
    const axis = decodeEnergyAxis(readInputFile(energyFile), energyFile);
    decode.energy = axis.energy;
    decode.energySource = energyFile;
    decode.energyUnit ??= axis.unit ?? undefined;
  }
  return decodeSpectrumImage(readInputFile(path), path, decode);
}
