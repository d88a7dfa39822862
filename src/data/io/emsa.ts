// EMSA/MAS spectral data files (.msa .ems .emsa; ISO 22029): '#KEYWORD : value' header lines,
// then the values between #SPECTRUM and #ENDOFDATA, Y (the axis is #OFFSET + i·#XPERCHAN) or XY
// pairs. Browser-safe: text in.
import { InputError } from '../../engine/errors.js';
import { parseNumber } from './text-table.js';

export const EMSA_EXTENSIONS = ['.msa', '.ems', '.emsa'];

export interface EmsaSpectrum {
  values: Float64Array;
  energy: Float64Array;
  /** #XUNITS, or null when the file gives none. */
  unit: string | null;
  /** Every header keyword (upper case) with its value as written. */
  header: Record<string, string>;
}

const KEYWORD = /^#\s*([A-Za-z0-9_]+)\s*(?:-\s*[^:]*)?:\s?(.*)$/;

function numberField(header: Record<string, string>, key: string, name: string): number | undefined {
  const text = header[key];
  if (text === undefined || text.trim() === '') return undefined;
  const v = parseNumber(text.trim());
  if (v === null || !Number.isFinite(v)) throw new InputError(`${name}: #${key} '${text.trim()}' is not a number`);
  return v;
}

/** Parse an EMSA/MAS file. `name` (the file name) starts every error message. */
export function parseEmsa(text: string, name: string): EmsaSpectrum {
  const header: Record<string, string> = {};
  const numbers: number[] = [];
  let inData = false;
  let ended = false;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length && !ended; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = KEYWORD.exec(line);
      const key = (m?.[1] ?? line.slice(1).trim()).toUpperCase();
      if (key === 'ENDOFDATA') ended = true;
      else if (key === 'SPECTRUM') inData = true;
      else if (!inData) header[key] = (m?.[2] ?? '').trim();
      continue;
    }
    if (!inData) throw new InputError(`${name} line ${i + 1}: a data line before #SPECTRUM`);
    for (const field of line.split(/[,\s]+/)) {
      if (field === '') continue;
      const v = parseNumber(field);
      if (v === null) throw new InputError(`${name} line ${i + 1}: '${field.slice(0, 40)}' is not a number`);
      numbers.push(v);
    }
  }
  if (!('FORMAT' in header) || !/EMSA/i.test(header.FORMAT!))
    throw new InputError(`${name}: not an EMSA/MAS spectrum (no '#FORMAT : EMSA/MAS Spectral Data File' line)`);
  if (!inData) throw new InputError(`${name}: no #SPECTRUM line (the data start after it)`);
  const type = (header.DATATYPE ?? 'Y').trim().toUpperCase();
  if (type !== 'Y' && type !== 'XY')
    throw new InputError(`${name}: #DATATYPE must be Y or XY, not '${header.DATATYPE}'`);
  const xy = type === 'XY';
  if (xy && numbers.length % 2 !== 0)
    throw new InputError(`${name}: XY data hold ${numbers.length} values, not pairs of energy and counts`);
  const n = xy ? numbers.length / 2 : numbers.length;
  const declared = numberField(header, 'NPOINTS', name);
  if (declared !== undefined && declared !== n)
    throw new InputError(`${name}: #NPOINTS says ${declared} channels but the data hold ${n}`);
  if (n === 0) throw new InputError(`${name}: no values between #SPECTRUM and #ENDOFDATA`);
  let energy: Float64Array;
  let values: Float64Array;
  if (xy) {
    energy = Float64Array.from({ length: n }, (_, i) => numbers[2 * i]!);
    values = Float64Array.from({ length: n }, (_, i) => numbers[2 * i + 1]!);
  } else {
    const step = numberField(header, 'XPERCHAN', name);
    if (step === undefined) throw new InputError(`${name}: Y data need #XPERCHAN (the energy step per channel)`);
    if (step === 0) throw new InputError(`${name}: #XPERCHAN is 0`);
    const offset = numberField(header, 'OFFSET', name) ?? 0;
    energy = Float64Array.from({ length: n }, (_, i) => offset + i * step);
    values = Float64Array.from(numbers);
  }
  const unit = header.XUNITS?.trim() || null;
  return { values, energy, unit, header };
}
