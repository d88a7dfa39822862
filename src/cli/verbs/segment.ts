// `specmap segment FILE -k N [--beta B | --estimate-beta] [--neighbours 4|8] --out DIR`:
// Potts-MRF segmentation of a spectrum image (or of per-pixel features such as NMF loadings).
import { loadSpectrumImage, prepareOutDir, undoFoldersOnError } from '../../data/io/node.js';
import { assertNoNonFinite } from '../../data/non-finite.js';
import { InputError } from '../../engine/errors.js';
import { BETA_MAX } from '../../methods/mrf/beta.js';
import { meanConfidence, segmentMrf, type MrfOptions } from '../../methods/mrf/index.js';
import { MRF_OPTIONS, pixelMaskOf, resolveMrf } from '../../methods/mrf/model.js';
import type { OptionTable } from '../../methods/option-table.js';
import { OUTPUT_OPTIONS } from '../global-options.js';
import { helpRow, helpRows, parseSpec, tableValues } from '../option-table.js';
import { backendLine } from '../backend-line.js';
import { listOf } from '../outputs/list.js';
import { writeSegmentOutputs } from '../outputs/segment.js';
import { energyLoadOptions, ENERGY_OPTIONS, ENERGY_USAGE, inputFile, requiredOut } from '../options.js';
import { pixelMaskOption } from '../pixel-mask.js';
import { formatNumber, formatTable } from '../table.js';
import type { Verb } from '../verb.js';
import { givenOptions } from './fit.js';

/** The segment verb's own flag: --estimate-beta is the library's beta 'estimate'. */
const SEGMENT_CLI_OPTIONS = {
  estimateBeta: {
    kind: 'boolean',
    flag: 'estimate-beta',
    help: 'estimate the coupling by pseudo-likelihood during the burn-in (default)',
  },
} satisfies OptionTable;

const { k: _k, beta: _beta, ...rest } = MRF_OPTIONS;

const USAGE = `specmap segment FILE -k N --out DIR [options]

Segments the map into N classes of like spectra with a Potts Markov random field: Gaussian class
spectra (mean, variance) under a prior that favours neighbours of the same class, sampled by
checkerboard Gibbs sweeps after a k-means start. Writes labels.npy [ny, nx] (MAP labels, int32;
-1 where --pixel-mask leaves a pixel out), confidence.npy [ny, nx] (posterior probability of
the most probable label; NaN where masked), probabilities.npy
[ny, nx, N], class_means.npy [N, channels], class_means.csv, kmeans_labels.npy, traces.csv,
summary.json and index.html.

  FILE                 spectra or features: .npy, .npz, HDF5/NeXus (.h5 .hdf5 .nxs .nx5), .hspy
                       [ny, nx, channels], or a text table with a map layout
${ENERGY_USAGE}
${helpRow(MRF_OPTIONS.k)}
${helpRow(MRF_OPTIONS.beta)}
${helpRow(SEGMENT_CLI_OPTIONS.estimateBeta)}
${helpRows(rest)}
${helpRows(OUTPUT_OPTIONS)}

example: specmap segment electrode.npy -k 4 --out seg`;

export const segmentVerb: Verb = {
  name: 'segment',
  summary: 'Potts-MRF segmentation (Gibbs sweeps, k-means start): label map, confidence, class spectra',
  usage: USAGE,
  usesEngine: true,
  options: {
    ...ENERGY_OPTIONS,
    ...parseSpec(MRF_OPTIONS),
    ...parseSpec(SEGMENT_CLI_OPTIONS),
    ...parseSpec(OUTPUT_OPTIONS),
  },
  async run(ctx) {
    const file = inputFile(ctx, 'segment', 'specmap segment map.npy -k 4 --out seg');
    const out = requiredOut(ctx.values, 'segment', 'the label map, confidence map and report');
    const v = ctx.values;
    const { pixelMask: _maskFile, ...typed } = tableValues(MRF_OPTIONS, v);
    if (typed.k === undefined) throw new InputError('segment: -k N is required (the number of classes)');
    if (typed.beta !== undefined && v['estimate-beta'] === true)
      throw new InputError('segment: give either --beta B or --estimate-beta, not both');
    const o = typed as MrfOptions;
    const k = o.k;
    const image = await loadSpectrumImage(file, energyLoadOptions(v));
    if (image.layout === 'list' || image.ny < 2 || image.nx < 2) {
      throw new InputError(
        `${file}: segmentation needs a map at least 2×2 pixels, got ${image.ny}×${image.nx} (${image.layout}); ` +
          'give a map [ny, nx, channels] (a 3-D .npy, .npz array or HDF5 dataset)',
      );
    }
    const pixelMask = pixelMaskOption(v, image);
    if (pixelMask) o.pixelMask = pixelMask;
    // Checked before the engine opens and logs its adapter: a NaN among the segmented pixels
    // (named with the file), then every option against the data (k against the selected pixels).
    assertNoNonFinite(image, { what: file, pixelMask: pixelMaskOf(pixelMask, image.ny, image.nx), hint: 'cli' });
    resolveMrf(image, o);
    const made = prepareOutDir(out, v.force === true);
    const engine = await ctx.engine();
    const r = await undoFoldersOnError(made, () =>
      segmentMrf(engine, image, o, { onProgress: ctx.progress('segment'), signal: ctx.signal }),
    );
    const seconds = r.timing.totalMs / 1000;
    const given = givenOptions(v);
    const files = writeSegmentOutputs(out, r, { image, source: file, given, adapter: engine.description });
    const meanConf = meanConfidence(r);
    ctx.out(
      formatTable(
        ['classes', 'pixels per class', 'beta', 'sweeps', 'mean confidence', 'time s'],
        [
          [
            k,
            r.classSizes.join(' / '),
            formatNumber(r.betaTrace.at(-1)!, 4),
            r.sweeps,
            formatNumber(meanConf, 3),
            formatNumber(seconds, 3),
          ],
        ],
      ),
    );
    if (r.masked > 0)
      ctx.out(`${r.masked} pixel(s) left out by --pixel-mask: not segmented (label -1, confidence NaN)`);
    // A clean split leaves the pseudo-likelihood rising to the cap: the table's beta is that cap, not a measurement.
    if (r.options.beta === 'estimate' && r.betaTrace.at(-1)! >= BETA_MAX) {
      ctx.out(
        `beta reached its cap ${BETA_MAX}: the labels agree with their neighbours so well that the ` +
          'pseudo-likelihood is still rising there (a clean split, not a measured coupling); ' +
          'fix it with --beta B if the prior matters',
      );
    }
    ctx.out(`${backendLine(engine)}\nwrote ${listOf(files)} to ${out}/`);
  },
};
