// `specmap fit FILE --peaks SPEC --out DIR`: per-pixel EM peak fitting of a spectrum image.
import { CHANNELS_USAGE, cropToEnergyWindow } from '../energy-window.js';
import { loadSpectrumImage } from '../../data/io/node.js';
import { InputError } from '../../engine/errors.js';
import type { PeakFitOptions } from '../../methods/peaks/index.js';
import {
  choiceOption,
  energyLoadOptions,
  ENERGY_OPTIONS,
  ENERGY_USAGE,
  inputFile,
  numberOption,
  requiredOut,
  stringList,
  stringOption,
} from '../options.js';
import { CSV_OPTION, csvUsage } from '../csv-option.js';
import { applyDoublets, parseBackground, parsePeaks } from '../peak-spec.js';
import { runPeakFit } from '../peaks-run.js';
import { PIXEL_MASK_OPTION, pixelMaskOption } from '../pixel-mask.js';
import type { Verb } from '../verb.js';

const USAGE = `specmap fit FILE --peaks SPEC --out DIR [options]

Fits every pixel's spectrum with Gaussian peaks on a background (linear, the active Shirley
step, or Tougaard's) by spectrum-adapted EM (Matsumura et al. 2019) and writes one .npy per map, maps.csv,
summary.json and index.html.

  FILE                 spectra: .npy, .npz or HDF5/NeXus (.h5 .hdf5 .nxs .nx5),
                       HyperSpy .hspy [ny, nx, channels] or [n, channels], EMSA .msa/.ems
                       spectra, or a text table (.csv .tsv .txt .dat)
${ENERGY_USAGE}
  --peaks SPEC         the peaks, comma-separated (repeatable):
                         228.0,231.1           starting positions
                         228.0:227.5-228.5     a position bounded to [227.5, 228.5]
                         228.0!                a fixed position
                         228.0@0.9             a starting FWHM
                         Mo=228.0              a name (map files Mo_position.npy ...)
                         auto:2                2 peaks found from the mean spectrum
  --doublet SPLIT:RATIO  spin-orbit partner of every peak at +SPLIT with RATIO × its area,
                       same width (e.g. Mo 3d: 3.13:0.667); repeat once per peak, or write
                       PEAK=SPLIT:RATIO[:NAME] for one peak (PEAK = name or 1-based number)
  --shared-width       one width for all peaks
  --background LIST    auto (default): shirley,uniform (or uniform,shirleyKE) where the mean
                       spectrum shows a step on the side the axis implies (a unit naming
                       binding/kinetic energy, else a descending axis = binding energy,
                       else either side), ramps otherwise; the choice is printed and
                       recorded in summary.json. Or a list of components:
                       uniform, ramps (rising + falling: any linear background), rampUp,
                       rampDown, shirley (the Shirley step of the fitted peaks, rising
                       towards higher energy: binding energy; usually shirley,uniform),
                       shirleyKE (rising towards lower energy: kinetic energy),
                       tougaard (Tougaard's universal background of each pixel's counts,
                       losses towards higher energy: binding energy; usually tougaard,uniform),
                       tougaardKE (losses towards lower energy: kinetic energy); one Shirley
                       or Tougaard component at most; comma-separated, or none. shirley or
                       tougaard alone is refused where the data have a level it cannot hold
  --tougaard-c C       Tougaard's C in (energy unit)^2 (default 1643, the universal value in
                       eV^2: the energy axis must be in eV for it to mean that)
  --init mean|user     start every pixel from a multi-start fit of the mean spectrum (default),
                       or from the given positions and FWHMs (all needed)
  --starts N           random starts of the mean-spectrum fit (default 8); --seed N (default 1)
  --max-iter N         most EM iterations per pixel (default 500)
  --tol T              stop when |ΔlogL| <= T·|logL| (default 1e-9) ...
  --ll-floor F         ... or below F × the float32 rounding scale of logL (default 2^-22;
                       0 = T alone, then float32 pixels may run to --max-iter)
  --negative error|clip  negative counts stop the run (default) or are set to 0
${CHANNELS_USAGE}: the spectra
                       are cut to that window before fitting
  --pixel-mask FILE    .npy [ny, nx] (or [n]); non-zero pixels are fitted, the others are not
                       (maps NaN, converged 0, iterations 0) and may hold NaN (dead pixels)
${csvUsage(23)}
  -o, --out DIR        output folder (required; refused if not empty)
  --force              write into a non-empty output folder (overwrites same-named files only)

example: specmap fit map.npy --e0 225 --de 0.05 --peaks Mo=228.0 --doublet 3.13:0.667 --out fit-mo`;

export const FIT_METHOD_OPTIONS = {
  peaks: { type: 'string', multiple: true },
  doublet: { type: 'string', multiple: true },
  'shared-width': { type: 'boolean' },
  background: { type: 'string' },
  'tougaard-c': { type: 'string' },
  init: { type: 'string' },
  starts: { type: 'string' },
  seed: { type: 'string' },
  'max-iter': { type: 'string' },
  tol: { type: 'string' },
  'll-floor': { type: 'string' },
  negative: { type: 'string' },
} as const;

/** The fit options the command line gives (shared by `fit`; `demo` takes a subset). */
export function peakFitOptionsFrom(
  values: Parameters<Verb['run']>[0]['values'],
  base: Partial<PeakFitOptions> = {},
): PeakFitOptions {
  const peakText = stringList(values, 'peaks');
  let peaks = base.peaks;
  if (peakText.length > 0) peaks = parsePeaks(peakText);
  if (peaks === undefined) throw new InputError('--peaks is required, e.g. --peaks 228.0,231.1 or --peaks auto:2');
  const doublets = stringList(values, 'doublet');
  if (doublets.length > 0)
    peaks = applyDoublets(typeof peaks === 'number' ? Array.from({ length: peaks }, () => ({})) : peaks, doublets);
  const opts: PeakFitOptions = { ...base, peaks };
  if (values['shared-width'] === true) opts.sharedWidth = true;
  const bg = stringOption(values, 'background');
  // Default 'auto' (auto-background.ts): the Shirley step where the mean spectrum shows one, else ramps.
  opts.background = bg === undefined || bg.trim().toLowerCase() === 'auto' ? 'auto' : parseBackground(bg);
  const tougaardC = numberOption(values, 'tougaard-c', { min: 0, exclusiveMin: true });
  if (tougaardC !== undefined) {
    if (!Array.isArray(opts.background) || !opts.background.some((b) => b === 'tougaard' || b === 'tougaardKE'))
      throw new InputError('--tougaard-c applies only with --background tougaard or tougaardKE');
    opts.tougaardC = tougaardC;
  }
  const init = choiceOption(values, 'init', ['mean', 'user'] as const);
  if (init) opts.init = init;
  const starts = numberOption(values, 'starts', { integer: true, min: 1, max: 1000 });
  if (starts !== undefined) opts.starts = starts;
  const seed = numberOption(values, 'seed', { integer: true, min: 0, max: 0xffffffff });
  if (seed !== undefined) opts.seed = seed;
  const maxIter = numberOption(values, 'max-iter', { integer: true, min: 1, max: 1e6 });
  if (maxIter !== undefined) opts.maxIterations = maxIter;
  const tol = numberOption(values, 'tol', { min: 0, max: 1 });
  if (tol !== undefined) opts.tol = tol;
  const llFloor = numberOption(values, 'll-floor', { min: 0, max: 0.5 });
  if (llFloor !== undefined) opts.llFloor = llFloor;
  const negative = choiceOption(values, 'negative', ['error', 'clip'] as const);
  if (negative) opts.negative = negative;
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
    ...FIT_METHOD_OPTIONS,
    ...PIXEL_MASK_OPTION,
    ...CSV_OPTION,
    channels: { type: 'string' },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
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
