// `specmap fit FILE --peaks SPEC --out DIR`: per-pixel EM peak fitting of a spectrum image.
import { cropToEnergyWindow } from '../energy-window.js';
import { loadSpectrumImage } from '../../data/io/node.js';
import { InputError } from '../../engine/errors.js';
import type { PeakFitOptions } from '../../methods/peaks/index.js';
import { PEAK_OPTIONS } from '../../methods/peaks/model.js';
import type { OptionTable } from '../../methods/option-table.js';
import { OUTPUT_OPTIONS } from '../global-options.js';
import { helpRow, helpRows, parseSpec, tableValues } from '../option-table.js';
import {
  energyLoadOptions,
  ENERGY_OPTIONS,
  ENERGY_USAGE,
  inputFile,
  requiredOut,
  stringList,
  stringOption,
} from '../options.js';
import { applyDoublets, parseBackground, parsePeaks } from '../peaks/peak-spec.js';
import { runPeakFit } from '../peaks/run.js';
import { pixelMaskOption } from '../pixel-mask.js';
import { CSV_OPTION_ROW } from '../csv-option.js';
import type { Verb } from '../verb.js';

/** The fit's command-line-only options: doublets (the library links peaks) and the pixel-mask file. */
export const FIT_CLI_OPTIONS = {
  doublet: {
    kind: 'text',
    flag: 'doublet',
    multiple: true,
    meta: 'SPLIT:RATIO',
    help:
      'spin-orbit partner of every peak at +SPLIT with RATIO × its area, same width (e.g. Mo 3d: 3.13:0.667); ' +
      'repeat once per peak, or write PEAK=SPLIT:RATIO[:NAME] for one peak (PEAK = name or 1-based number)',
  },
  pixelMask: {
    kind: 'text',
    flag: 'pixel-mask',
    meta: 'FILE',
    help:
      '.npy [ny, nx] (or [n]); non-zero pixels are fitted, the others are not (maps NaN, converged 0, ' +
      'iterations 0) and may hold NaN (dead pixels)',
  },
  channels: {
    kind: 'text',
    flag: 'channels',
    meta: 'E0:E1',
    help: 'use only channels with energy in [E0, E1] (in the axis unit): the spectra are cut to that window before fitting',
  },
  csv: CSV_OPTION_ROW,
} satisfies OptionTable;

const { peaks: PEAKS_ROW, ...PEAK_ROWS } = PEAK_OPTIONS;

const USAGE = `specmap fit FILE --peaks SPEC --out DIR [options]

Fits every pixel's spectrum with Gaussian peaks on a background (linear, the active Shirley
step, or Tougaard's) by spectrum-adapted EM (Matsumura et al. 2019) and writes one .npy per map, maps.csv,
summary.json and index.html.

  FILE                 spectra: .npy, .npz or HDF5/NeXus (.h5 .hdf5 .nxs .nx5),
                       HyperSpy .hspy [ny, nx, channels] or [n, channels], EMSA .msa/.ems
                       spectra, or a text table (.csv .tsv .txt .dat)
${ENERGY_USAGE}
${helpRow(PEAKS_ROW)}
${helpRow(FIT_CLI_OPTIONS.doublet)}
${helpRows(PEAK_ROWS)}
${helpRow(FIT_CLI_OPTIONS.pixelMask)}
${helpRow(FIT_CLI_OPTIONS.channels)}
${helpRow(FIT_CLI_OPTIONS.csv)}
${helpRows(OUTPUT_OPTIONS)}

example: specmap fit map.npy --e0 225 --de 0.05 --peaks Mo=228.0 --doublet 3.13:0.667 --out fit-mo`;

/** The fit options the command line gives (shared by `fit`; `demo` takes a subset). */
export function peakFitOptionsFrom(
  values: Parameters<Verb['run']>[0]['values'],
  base: Partial<PeakFitOptions> = {},
): PeakFitOptions {
  const { peaks: peakList, background: bg, ...rest } = tableValues(PEAK_OPTIONS, values);
  const peakText = (peakList as string[] | undefined) ?? [];
  let peaks = base.peaks;
  if (peakText.length > 0) peaks = parsePeaks(peakText);
  if (peaks === undefined) throw new InputError('--peaks is required, e.g. --peaks 228.0,231.1 or --peaks auto:2');
  const doublets = stringList(values, 'doublet');
  if (doublets.length > 0)
    peaks = applyDoublets(typeof peaks === 'number' ? Array.from({ length: peaks }, () => ({})) : peaks, doublets);
  const opts: PeakFitOptions = { ...base, ...(rest as Partial<PeakFitOptions>), peaks };
  // Default 'auto' (auto-background.ts): the Shirley step where the mean spectrum shows one, else ramps.
  if (bg !== undefined)
    opts.background = (bg as string).trim().toLowerCase() === 'auto' ? 'auto' : parseBackground(bg as string);
  else if (base.background === undefined) opts.background = 'auto';
  if (
    opts.tougaardC !== undefined &&
    (!Array.isArray(opts.background) || !opts.background.some((b) => b === 'tougaard' || b === 'tougaardKE'))
  )
    throw new InputError('--tougaard-c applies only with --background tougaard or tougaardKE');
  return opts;
}

/** The options exactly as typed, for summary.json and the report. */
export function givenOptions(values: Parameters<Verb['run']>[0]['values']): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([k, v]) => v !== undefined && !['help', 'debug', 'quiet'].includes(k)),
  );
}

export const fit: Verb = {
  name: 'fit',
  summary:
    'per-pixel peak fitting (EM, Gaussian peaks + linear, Shirley or Tougaard background): maps, CSV, HTML report',
  usage: USAGE,
  usesEngine: true,
  options: {
    ...ENERGY_OPTIONS,
    ...parseSpec(PEAK_OPTIONS),
    ...parseSpec(FIT_CLI_OPTIONS),
    ...parseSpec(OUTPUT_OPTIONS),
  },
  async run(ctx) {
    const file = inputFile(ctx, 'fit', 'specmap fit map.npy --peaks 228.0 --out DIR');
    const out = requiredOut(ctx.values, 'fit', 'maps and the report');
    const options = peakFitOptionsFrom(ctx.values);
    const loaded = await loadSpectrumImage(file, energyLoadOptions(ctx.values));
    const window = stringOption(ctx.values, 'channels');
    const image = window === undefined ? loaded : cropToEnergyWindow(loaded, window);
    const pixelMask = pixelMaskOption(ctx.values, image);
    if (pixelMask) options.pixelMask = pixelMask;
    await runPeakFit(ctx, {
      image,
      options,
      source: file,
      out,
      force: ctx.values.force === true,
      given: givenOptions(ctx.values),
    });
  },
};
