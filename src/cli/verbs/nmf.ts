// `specmap nmf FILE -k N [--method ...] --out DIR`: non-negative matrix factorisation of a
// spectrum image into component spectra (factors) and abundance maps (loadings).
import { energyWindowMask } from '../energy-window.js';
import { parseNpy } from '../../data/io/npy.js';
import { loadSpectrumImage, prepareOutDir, undoFoldersOnError, readInputFile } from '../../data/io/node.js';
import type { SpectrumImage } from '../../data/types.js';
import { InputError } from '../../engine/errors.js';
import { nmf, NMF_OPTIONS, type NmfOptions, type NmfReference, type NmfResult } from '../../methods/nmf/index.js';
import { optionValue } from '../../methods/option-table.js';
import { OUTPUT_OPTIONS } from '../global-options.js';
import { helpRows, parseSpec, tableValues } from '../option-table.js';
import { backendLine } from '../backend-line.js';
import { listOf } from '../outputs/list.js';
import { writeNmfOutputs } from '../outputs/nmf.js';
import { energyLoadOptions, ENERGY_OPTIONS, ENERGY_USAGE, inputFile, stringOption } from '../options.js';
import { pixelMaskOption, withPixelMaskHint } from '../pixel-mask.js';
import { formatNumber, formatTable } from '../table.js';
import type { Verb, VerbContext } from '../verb.js';
import { givenOptions } from './fit.js';

const USAGE = `specmap nmf FILE -k N --out DIR [options]

Factorises the spectra X (pixels × channels) ≈ W H into N component spectra (factors) and their
abundance maps (loadings); writes factors.npy [N, channels], factors.csv, loadings.npy [N, ny, nx],
pixel_loadings.npy [ny, nx, N] (the loadings as per-pixel features: input for specmap segment),
residual.npy [ny, nx], loss.csv, summary.json and index.html.

  FILE                 spectra: .npy, .npz or HDF5/NeXus (.h5 .hdf5 .nxs .nx5),
                       HyperSpy .hspy [ny, nx, channels] or [n, channels], EMSA .msa/.ems
                       spectra, or a text table (.csv .tsv .txt .dat)
${ENERGY_USAGE}
${helpRows(NMF_OPTIONS)}
${helpRows(OUTPUT_OPTIONS)}

example: specmap nmf stack.npy --e0 700 --de 0.1 -k 3 --method hals --out nmf-out`;

function readVector(path: string, what: string): Float32Array {
  if (path.toLowerCase().endsWith('.npy'))
    return Float32Array.from(parseNpy(readInputFile(path), path).data as ArrayLike<number>);
  const text = new TextDecoder().decode(readInputFile(path));
  const values = text
    .split(/[\s,;]+/)
    .filter((s) => s.length > 0 && !s.startsWith('#'))
    .map(Number);
  if (values.some((v) => !Number.isFinite(v)))
    throw new InputError(`${path}: ${what} must be numbers, one per channel`);
  return Float32Array.from(values);
}

function parseReference(text: string, img: SpectrumImage): NmfReference {
  if (text === 'mean') return 'mean';
  if (text.startsWith('spectrum:'))
    return { spectrum: readVector(text.slice('spectrum:'.length), 'the reference spectrum') };
  if (text.startsWith('region:')) {
    const parts = text.slice('region:'.length).split(':').map(Number);
    if (parts.length !== 4 || parts.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new InputError(`--reference region:Y0:Y1:X0:X1 needs four non-negative integers, not '${text}'`);
    }
    const [y0, y1, x0, x1] = parts as [number, number, number, number];
    if (y1 > img.ny || x1 > img.nx || y0 >= y1 || x0 >= x1)
      throw new InputError(
        `--reference ${text}: the region must lie inside the ${img.ny} × ${img.nx} map and be non-empty`,
      );
    const region = new Uint8Array(img.ny * img.nx);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) region[y * img.nx + x] = 1;
    return { region };
  }
  throw new InputError(`--reference must be mean, spectrum:FILE or region:Y0:Y1:X0:X1, not '${text}'`);
}

/** The NMF options the command line gives. */
export function nmfOptionsFrom(ctx: VerbContext, img: SpectrumImage): NmfOptions {
  const v = ctx.values;
  const { reference, pixelMask: _maskFile, channelMask: range, ...given } = tableValues(NMF_OPTIONS, v);
  if (given.k === undefined)
    throw new InputError('nmf: -k N is required (the number of components; `specmap scree FILE` helps choose)');
  const o = given as NmfOptions;
  if ((o.minvolLambda !== undefined || o.minvolDelta !== undefined || o.closure) && o.method !== 'minvol')
    throw new InputError('nmf: --minvol-lambda, --minvol-delta and --closure need --method minvol');
  if (reference !== undefined) o.reference = parseReference(reference as string, img);
  const pixelMask = pixelMaskOption(v, img);
  if (pixelMask) o.pixelMask = pixelMask;
  if (range !== undefined) o.channelMask = energyWindowMask(range as string, img);
  return o;
}

export const nmfVerb: Verb = {
  name: 'nmf',
  summary:
    'NMF of a spectrum image (MU, KL, HALS, NMF-SO, ARD, ONMF, semi-NMF, min-volume): component spectra and maps',
  usage: USAGE,
  usesEngine: true,
  options: { ...ENERGY_OPTIONS, ...parseSpec(NMF_OPTIONS), ...parseSpec(OUTPUT_OPTIONS) },
  async run(ctx) {
    const file = inputFile(ctx, 'nmf', 'specmap nmf stack.npy -k 3 --out DIR');
    const out = stringOption(ctx.values, 'out');
    if (!out) throw new InputError('nmf: --out DIR is required (the folder for factors, loadings and the report)');
    const image = await loadSpectrumImage(file, energyLoadOptions(ctx.values));
    // Non-finite values are refused inside nmf(), before the engine opens, among the pixels and
    // channels fitted only (a --pixel-mask leaves NaN pixels out).
    const options = nmfOptionsFrom(ctx, image);
    const made = prepareOutDir(out, ctx.values.force === true);
    // The engine opens inside nmf() once its checks pass; ctx.engine() then returns the same one.
    const r = await undoFoldersOnError(made, () =>
      nmf(() => ctx.engine(), image, options, { onProgress: ctx.progress('specmap'), signal: ctx.signal }).catch(
        (e: unknown) => {
          throw withPixelMaskHint(e);
        },
      ),
    );
    const masked = options.pixelMask ? Array.from(options.pixelMask).filter((m) => !m).length : 0;
    const engine = await ctx.engine();
    const given = givenOptions(ctx.values);
    const files = writeNmfOutputs(out, r, { image, source: file, given, masked, adapter: engine.description });
    ctx.out(
      formatTable(
        ['method', 'k', 'iterations', 'converged', 'rel. error', 'orthogonality (maps)', 'time s'],
        [
          [
            r.method,
            r.k,
            r.iterations,
            r.converged ? 'yes' : 'no',
            r.relativeError.toExponential(3),
            formatNumber(r.orthogonality.loadings, 3),
            formatNumber(r.timing.totalMs / 1000, 3),
          ],
        ],
      ),
    );
    if (r.negative) ctx.out(negativeLine(r.negative));
    if (masked > 0) ctx.out(`${masked} pixel(s) left out by --pixel-mask: not factorised (loadings and residual NaN)`);
    if (r.k < options.k) ctx.out(`${options.k - r.k} component(s) pruned or merged: ${r.k} kept`);
    if (!r.converged)
      ctx.warn(
        `specmap: nmf stopped at --max-iter ${r.iterations} before ` +
          (r.method === 'hals'
            ? "the projected gradient fell to tol × its first value (scikit-learn's 'cd' rule, "
            : 'the error settled (') +
          `tol ${optionValue(NMF_OPTIONS, 'tol', options.tol)})`,
      );
    ctx.out(`${backendLine(engine)}\nwrote ${listOf(files)} to ${out}/`);
  },
};

/** What --negative clip/shift changed, in one line. */
function negativeLine(c: NonNullable<NmfResult['negative']>): string {
  const what = `${c.negatives} negative value${c.negatives === 1 ? '' : 's'}`;
  return c.mode === 'clip'
    ? `--negative clip: ${what} set to 0`
    : `--negative shift: ${what}; every value (${c.changed}) raised by ${c.shift}`;
}
