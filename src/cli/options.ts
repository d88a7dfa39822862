// Typed reads of parsed command-line values, each failing with one line that names the option.
import { InputError } from '../engine/errors.js';
import type { LoadOptions } from '../data/io/load.js';
import type { OptionSpec, VerbContext } from './verb.js';

type Values = VerbContext['values'];

export function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InputError(`--${name} needs a value`);
  return v;
}

/** Every value of a repeatable string option (declared with multiple: true). */
export function stringList(values: Values, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Also refuse the minimum itself. */
  exclusiveMin?: boolean;
}

export function numberOption(values: Values, name: string, rule: NumberRule = {}): number | undefined {
  const s = stringOption(values, name);
  if (s === undefined) return undefined;
  const v = s.trim() === '' ? NaN : Number(s);
  const kind = rule.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(v) || (rule.integer && !Number.isInteger(v)))
    throw new InputError(`--${name} must be ${kind}, not '${s}'`);
  const lowOk = rule.min === undefined || (rule.exclusiveMin ? v > rule.min : v >= rule.min);
  if (!lowOk || (rule.max !== undefined && v > rule.max)) {
    const lo = rule.min === undefined ? '' : `${rule.exclusiveMin ? '>' : '>='} ${rule.min}`;
    const hi = rule.max === undefined ? '' : `<= ${rule.max}`;
    throw new InputError(`--${name} must be ${[lo, hi].filter(Boolean).join(' and ')}, not ${s}`);
  }
  return v;
}

export function choiceOption<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const s = stringOption(values, name);
  if (s === undefined) return undefined;
  if (!(choices as readonly string[]).includes(s))
    throw new InputError(`--${name} must be ${choices.join(' or ')}, not '${s}'`);
  return s as T;
}

/** The one input file a verb takes (`example` shows a whole command line). */
export function inputFile(ctx: Pick<VerbContext, 'positionals'>, verb: string, example: string): string {
  const n = ctx.positionals.length;
  if (n === 0) throw new InputError(`${verb}: give the spectra file, e.g. ${example}`);
  if (n > 1) {
    // A list option written with a space ('--background tougaard, uniform') leaves its tail here.
    const words = ctx.positionals.map((w) => `'${w}'`).join(', ');
    throw new InputError(
      `${verb}: one input file only, got ${n}: ${words} (an option's list split at a space? write it without spaces, e.g. --background tougaard,uniform, or quote it)`,
    );
  }
  return ctx.positionals[0]!;
}

/** --out DIR, required; `holds` says what goes there. */
export function requiredOut(values: Values, verb: string, holds: string): string {
  const out = stringOption(values, 'out');
  if (!out) throw new InputError(`${verb}: --out DIR is required (the folder for ${holds})`);
  return out;
}

/** The input options every verb that reads spectra takes: the energy axis and the HDF5 dataset or .npz array. */
export const ENERGY_OPTIONS: OptionSpec = {
  dataset: { type: 'string' },
  energy: { type: 'string' },
  e0: { type: 'string' },
  de: { type: 'string' },
  unit: { type: 'string' },
  'rows-as-spectra': { type: 'boolean' },
};

export const ENERGY_USAGE = `  --dataset PATH       HDF5/NeXus input: the dataset holding the spectra, e.g.
                       /entry/data/data (default: the NeXus default signal, else the
                       file's only numeric 2-D or 3-D dataset; \`specmap info\` lists them);
                       .npz input: the array's name, e.g. arr_0 or data (default: the
                       only numeric 2-D or 3-D array)
  --energy FILE        the energy axis: .npy or text, one value per channel, an
                       HDF5 dataset as FILE.h5:/path, or a .npz array as FILE.npz:NAME
                       (default for NeXus: the @axes dataset of the last dimension)
  --e0 E --de D        or a linear axis E, E + D, E + 2D, ... (give both; a descending
                       axis has a negative step: --de -0.1)
                       (default: a CSV's energy column, else the channel index)
  --unit U             the energy axis' unit, e.g. eV or keV (default: the file's own,
                       from HDF5 @units, .hspy axes, EMSA #XUNITS or a CSV header such
                       as 'Energy (keV)', else eV; 'channel' without an axis)
  --rows-as-spectra    a text table whose first row holds the energies and each next row
                       one spectrum (default: columns are spectra)`;

/** --dataset PATH, and --energy FILE or --e0 with --de, as loadSpectrumImage options. */
export function energyLoadOptions(values: Values): LoadOptions {
  const dataset = stringOption(values, 'dataset');
  if (dataset !== undefined && dataset.trim() === '')
    throw new InputError(
      '--dataset needs a path in the HDF5 file or an array name in the .npz, e.g. --dataset /entry/data/data or --dataset arr_0',
    );
  const energyFile = stringOption(values, 'energy');
  const e0 = numberOption(values, 'e0');
  const de = numberOption(values, 'de');
  if (energyFile !== undefined && (e0 !== undefined || de !== undefined))
    throw new InputError('give either --energy FILE or --e0 and --de, not both');
  if ((e0 === undefined) !== (de === undefined))
    throw new InputError(
      `--${e0 === undefined ? 'de' : 'e0'} needs --${e0 === undefined ? 'e0' : 'de'} too (a linear axis e0 + i·de)`,
    );
  if (de === 0) throw new InputError('--de must not be 0');
  const unit = stringOption(values, 'unit');
  if (unit !== undefined && !/^[^\s:;,]{1,16}$/u.test(unit))
    throw new InputError(`--unit must be a unit such as eV or keV (one word, up to 16 characters), not '${unit}'`);
  const opts: LoadOptions = {};
  if (unit !== undefined) opts.energyUnit = unit;
  if (values['rows-as-spectra'] === true) opts.rowsAsSpectra = true;
  if (dataset !== undefined) opts.dataset = dataset;
  if (energyFile !== undefined) opts.energyFile = energyFile;
  if (e0 !== undefined && de !== undefined) {
    opts.e0 = e0;
    opts.de = de;
  }
  return opts;
}
