// `specmap nmf FILE -k N [--method ...] --out DIR`: non-negative matrix factorisation of a
// spectrum image into component spectra (factors) and abundance maps (loadings).
import { parseNpy } from '../../data/io/npy.js';
import {
  loadSpectrumImage,
  prepareOutDir,
  undoFoldersOnError,
  readInputFile,
  writeJsonFile,
  writeNpyFile,
  writeOutput,
} from '../../data/io/node.js';
import type { SpectrumImage } from '../../data/types.js';
import { InputError } from '../../engine/errors.js';
import {
  nmf,
  NMF_INITS,
  NMF_METHODS,
  NMF_NEGATIVE,
  type NmfOptions,
  type NmfReference,
  type NmfResult,
} from '../../methods/nmf/index.js';
import { nmfReport } from '../../report/nmf.js';
import { writeReport } from '../../report/write-report.js';
import { backendLine } from '../peaks-run.js';
import {
  choiceOption,
  energyLoadOptions,
  ENERGY_OPTIONS,
  ENERGY_USAGE,
  inputFile,
  numberOption,
  stringOption,
} from '../options.js';
import { PIXEL_MASK_OPTION, pixelMaskOption, withPixelMaskHint } from '../pixel-mask.js';
import { formatNumber, formatTable } from '../table.js';
import type { Verb, VerbContext } from '../verb.js';
import { givenOptions } from './fit.js';

const USAGE = `specmap nmf FILE -k N --out DIR [options]

Factorises the spectra X (pixels × channels) ≈ W H into N component spectra (factors) and their
abundance maps (loadings); writes factors.npy [N, channels], factors.csv, loadings.npy [N, ny, nx],
pixel_loadings.npy [ny, nx, N] (the loadings as per-pixel features: input for specmap segment),
residual.npy [ny, nx], loss.csv, summary.json and index.html.

  FILE                 spectra: .npy, .npz or HDF5/NeXus (.h5 .hdf5 .nxs .nx5) [ny, nx, channels] or
                       [n, channels], or a text table
${ENERGY_USAGE}
  -k, --k N            number of components (use \`specmap scree FILE\` to choose)
  --method M           hals (coordinate descent, Frobenius; default, as scikit-learn's 'cd'),
                       mu (multiplicative updates, Frobenius), kl (MU, Kullback-Leibler),
                       so (HALS + soft orthogonality of the maps, NMF-SO), ard (NMF-SO +
                       relevance pruning), onmf (orthogonal spectra), semi (semi-NMF:
                       maps >= 0, spectra free; for difference data); so, ard and onmf drop
                       components under 1 % of the total and merge spectra with cosine >= 0.99,
                       so they may return fewer than N; minvol (minimum-volume NMF: HALS with a
                       log-det volume penalty on the spectra, for strongly overlapping spectra
                       such as XANES mixtures)
  --minvol-lambda L    minvol: volume weight relative to the start's squared error (default 0.003)
  --minvol-delta D     minvol: delta of log det(HH' + delta I), relative to the mean squared norm
                       of the spectra (default 0.01)
  --closure            minvol: abundances sum to one in every pixel (MCR-ALS closure; for
                       normalised absorption data)
  --init I             nndsvda (default), nndsvd, random
  --restarts R         runs from different starts, keeping the best (default 1; starts after the
                       first are random)
  --seed S             seed of random starts (default 0)
  --max-iter N         iteration cap (default 200); --tol T convergence tolerance (default 1e-4,
                       tested every 10 iterations on the relative decrease of the error)
  --l1-maps A          L1 penalty on the maps (sparse loadings); --l1-spectra A on the spectra
  --wo W               soft-orthogonality weight for so/ard (default 0.1)
  --reference R        subtract a reference spectrum first (then use --method semi):
                         mean                  the mean spectrum
                         spectrum:FILE         a spectrum (.npy or text, one value per channel)
                         region:Y0:Y1:X0:X1    the mean spectrum of rows Y0..Y1-1, columns X0..X1-1
  --negative N         negative values (e.g. noise on normalised absorption data): error (default:
                       refuse), clip (set them to 0) or shift (raise every value by -min); the
                       output says how many values changed. Difference data need --method semi
  --poisson            Poisson normalisation (Keenan & Kotula), undone on the result
  --pixel-mask FILE    .npy [ny, nx] (or [n]); non-zero pixels are fitted, others get NaN
  --channels E0:E1     fit only channels with energy in [E0, E1]
  -o, --out DIR        output folder (required; refused if not empty unless --force)
  --force              write into a non-empty output folder

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

function channelMask(text: string, img: SpectrumImage): Uint8Array {
  const m = /^(-?[\d.eE+-]+):(-?[\d.eE+-]+)$/.exec(text);
  const e0 = m ? Number(m[1]) : NaN;
  const e1 = m ? Number(m[2]) : NaN;
  if (!Number.isFinite(e0) || !Number.isFinite(e1) || e0 > e1)
    throw new InputError(`--channels must be E0:E1 with E0 <= E1, not '${text}'`);
  return Uint8Array.from(img.energy, (e) => (e >= e0 && e <= e1 ? 1 : 0));
}

/** The NMF options the command line gives. */
export function nmfOptionsFrom(ctx: VerbContext, img: SpectrumImage): NmfOptions {
  const v = ctx.values;
  const k = numberOption(v, 'k', { integer: true, min: 1 });
  if (k === undefined)
    throw new InputError('nmf: -k N is required (the number of components; `specmap scree FILE` helps choose)');
  const o: NmfOptions = { k };
  const method = choiceOption(v, 'method', NMF_METHODS);
  if (method) o.method = method;
  const init = choiceOption(v, 'init', NMF_INITS);
  if (init) o.init = init;
  o.restarts = numberOption(v, 'restarts', { integer: true, min: 1, max: 64 });
  o.seed = numberOption(v, 'seed', { integer: true, min: 0 });
  o.maxIter = numberOption(v, 'max-iter', { integer: true, min: 1 });
  o.tol = numberOption(v, 'tol', { min: 0 });
  o.l1W = numberOption(v, 'l1-maps', { min: 0 });
  o.l1H = numberOption(v, 'l1-spectra', { min: 0 });
  o.wo = numberOption(v, 'wo', { min: 0 });
  o.minvolLambda = numberOption(v, 'minvol-lambda', { min: 0 });
  o.minvolDelta = numberOption(v, 'minvol-delta', { min: 0, exclusiveMin: true });
  if (v.closure === true) o.closure = true;
  if ((o.minvolLambda !== undefined || o.minvolDelta !== undefined || o.closure) && o.method !== 'minvol')
    throw new InputError('nmf: --minvol-lambda, --minvol-delta and --closure need --method minvol');
  const negative = choiceOption(v, 'negative', NMF_NEGATIVE);
  if (negative) o.negative = negative;
  if (v.poisson === true) o.poisson = true;
  const ref = stringOption(v, 'reference');
  if (ref !== undefined) o.reference = parseReference(ref, img);
  o.pixelMask = pixelMaskOption(v, img);
  const channels = stringOption(v, 'channels');
  if (channels !== undefined) o.channelMask = channelMask(channels, img);
  for (const key of Object.keys(o) as (keyof NmfOptions)[]) if (o[key] === undefined) delete o[key];
  return o;
}

export const nmfVerb: Verb = {
  name: 'nmf',
  summary:
    'NMF of a spectrum image (MU, KL, HALS, NMF-SO, ARD, ONMF, semi-NMF, min-volume): component spectra and maps',
  usage: USAGE,
  usesEngine: true,
  options: {
    ...ENERGY_OPTIONS,
    k: { type: 'string', short: 'k' },
    method: { type: 'string' },
    init: { type: 'string' },
    restarts: { type: 'string' },
    seed: { type: 'string' },
    'max-iter': { type: 'string' },
    tol: { type: 'string' },
    'l1-maps': { type: 'string' },
    'l1-spectra': { type: 'string' },
    wo: { type: 'string' },
    'minvol-lambda': { type: 'string' },
    'minvol-delta': { type: 'string' },
    closure: { type: 'boolean' },
    reference: { type: 'string' },
    negative: { type: 'string' },
    poisson: { type: 'boolean' },
    ...PIXEL_MASK_OPTION,
    channels: { type: 'string' },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
  },
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
      nmf(() => ctx.engine(), image, { ...options, onProgress: ctx.progress('specmap'), signal: ctx.signal }).catch(
        (e: unknown) => {
          throw withPixelMaskHint(e);
        },
      ),
    );
    const masked = options.pixelMask ? Array.from(options.pixelMask).filter((m) => !m).length : 0;
    const engine = await ctx.engine();
    const { ny, nx, channels } = image;
    writeNpyFile(`${out}/factors.npy`, r.factors.data, r.factors.shape);
    writeNpyFile(`${out}/loadings.npy`, r.loadings.data, r.loadings.shape);
    // The same loadings pixel by pixel, [ny, nx, k]: the layout `specmap segment` reads as features.
    writeNpyFile(`${out}/pixel_loadings.npy`, pixelMajor(r.loadings.data, r.k, ny * nx), [ny, nx, r.k]);
    writeNpyFile(`${out}/residual.npy`, r.residual.data, r.residual.shape);
    const header = ['energy', ...Array.from({ length: r.k }, (_, t) => `component_${t + 1}`)].join(',');
    const lines = Array.from({ length: channels }, (_, c) =>
      [image.energy[c], ...Array.from({ length: r.k }, (_, t) => r.factors.data[t * channels + c])].join(','),
    );
    writeOutput(out, 'factors.csv', `${header}\n${lines.join('\n')}\n`);
    writeOutput(
      out,
      'loss.csv',
      `iteration,loss\n${Array.from(r.loss, (l, i) => `${r.lossIterations[i]},${l}`).join('\n')}\n`,
    );
    const given = givenOptions(ctx.values);
    writeJsonFile(`${out}/summary.json`, {
      source: file,
      shape: { ny, nx, channels, energyUnit: image.energyUnit },
      options: given,
      method: r.method,
      k: r.k,
      iterations: r.iterations,
      converged: r.converged,
      loss: Array.from(r.loss),
      lossIterations: Array.from(r.lossIterations),
      relativeError: r.relativeError,
      orthogonality: r.orthogonality,
      restartErrors: r.restartErrors,
      seconds: r.seconds,
      backend: r.backend,
      adapter: engine.description,
      masked,
      negative: r.negative ?? null,
    });
    writeReport(out, nmfReport(r, image, { source: file, adapter: engine.description, given, masked }));
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
            formatNumber(r.seconds.init + r.seconds.iterations, 3),
          ],
        ],
      ),
    );
    if (r.negative) ctx.out(negativeLine(r.negative));
    if (masked > 0) ctx.out(`${masked} pixel(s) left out by --pixel-mask: not factorised (loadings and residual NaN)`);
    if (r.k < options.k) ctx.out(`${options.k - r.k} component(s) pruned or merged: ${r.k} kept`);
    if (!r.converged)
      ctx.warn(
        `specmap: nmf stopped at --max-iter ${r.iterations} before ${r.method === 'hals' ? "the projected gradient fell to tol × its first value (scikit-learn's 'cd' rule, " : 'the error settled ('}tol ${options.tol ?? 1e-4})`,
      );
    ctx.out(
      `${backendLine(engine)}\nwrote factors.npy, factors.csv, loadings.npy, pixel_loadings.npy, residual.npy, loss.csv, summary.json and index.html to ${out}/`,
    );
  },
};

/** What --negative clip/shift changed, in one line. */
function negativeLine(c: NonNullable<NmfResult['negative']>): string {
  const what = `${c.negatives} negative value${c.negatives === 1 ? '' : 's'}`;
  return c.mode === 'clip'
    ? `--negative clip: ${what} set to 0`
    : `--negative shift: ${what}; every value (${c.changed}) raised by ${c.shift}`;
}

/** [k, npix] component-major maps → [npix, k] pixel-major features. */
function pixelMajor(maps: Float32Array, k: number, npix: number): Float32Array {
  const out = new Float32Array(k * npix);
  for (let t = 0; t < k; t++) for (let p = 0; p < npix; p++) out[p * k + t] = maps[t * npix + p]!;
  return out;
}
