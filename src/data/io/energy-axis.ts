// The energy axis of a spectrum image: built from e0 + de, read from a file, or taken from a
// table's first column; checked for length, finiteness and monotonicity. Browser-safe.
import { InputError } from '../../engine/errors.js';
import { parseNpy } from './npy.js';
import { bytesSource, readNpzAxis } from './npz.js';
import { parseTextTable } from './text-table.js';

/** e0, e0 + de, e0 + 2 de, ... (n values). */
export function linearEnergy(e0: number, de: number, n: number): Float64Array {
  if (!Number.isFinite(e0)) throw new InputError(`--e0 must be a number, not '${e0}'`);
  if (!Number.isFinite(de) || de === 0) throw new InputError(`--de must be a non-zero number, not '${de}'`);
  return Float64Array.from({ length: n }, (_, i) => e0 + i * de);
}

/**
 * Throw an InputError naming `name` (where the axis came from) unless the axis has `channels`
 * finite values that strictly increase or strictly decrease. `dataName` names the spectra's file
 * when it differs from `name`.
 */
export function checkEnergyAxis(energy: ArrayLike<number>, channels: number, name: string, dataName?: string): void {
  if (energy.length !== channels) {
    const spectra = dataName && dataName !== name ? `the spectra in ${dataName}` : 'the spectra';
    throw new InputError(`${name}: energy axis has ${energy.length} values but ${spectra} have ${channels} channels`);
  }
  for (let i = 0; i < energy.length; i++) {
    if (!Number.isFinite(energy[i]!)) throw new InputError(`${name}: energy axis value ${i} is ${energy[i]}`);
  }
  const i = firstNonMonotonic(energy);
  if (i >= 0) {
    throw new InputError(
      `${name}: energy axis is not monotonic at channel ${i} (${energy[i - 1]} then ${energy[i]}${i >= 2 ? `, after ${energy[i - 2]}` : ''})`,
    );
  }
}

/** The first index where `v` stops strictly increasing or strictly decreasing; -1 when it never does. */
export function firstNonMonotonic(v: ArrayLike<number>): number {
  if (v.length < 2) return -1;
  const sign = Math.sign(v[1]! - v[0]!);
  for (let i = 1; i < v.length; i++) if (sign === 0 || Math.sign(v[i]! - v[i - 1]!) !== sign) return i;
  return -1;
}

/** 'eV' from a column name such as 'Energy (eV)', 'E [keV]' or 'energy/eV'; null when none. */
export function unitFromName(columnName: string | undefined): string | null {
  if (!columnName) return null;
  const m = /\(([^)]+)\)\s*$|\[([^\]]+)\]\s*$|\/\s*([A-Za-z]+)\s*$/.exec(columnName.trim());
  return m ? (m[1] ?? m[2] ?? m[3])!.trim() : null;
}

/**
 * An energy axis from a file's bytes: a 1-D .npy (or one with a single non-unit dimension), the
 * only 1-D numeric array of a .npz, or a text file with one value per line or one row of values.
 * `name` is the file name.
 */
export function decodeEnergyAxis(bytes: Uint8Array, name: string): { energy: Float64Array; unit: string | null } {
  if (name.toLowerCase().endsWith('.npz'))
    return { energy: readNpzAxis(bytesSource(bytes), name, null).energy, unit: null };
  if (name.toLowerCase().endsWith('.npy')) {
    const arr = parseNpy(bytes, name);
    if (arr.shape.filter((d) => d !== 1).length > 1) {
      throw new InputError(`${name}: an energy axis must be 1-D, got shape (${arr.shape.join(', ')})`);
    }
    return { energy: Float64Array.from(arr.data), unit: null };
  }
  const table = parseTextTable(new TextDecoder().decode(bytes), name);
  if (table.rows > 1 && table.cols > 1) {
    throw new InputError(
      `${name}: an energy file must hold one column or one row of numbers, got ${table.rows} rows × ${table.cols} columns`,
    );
  }
  return { energy: table.values, unit: unitFromName(table.names?.[0]) };
}
