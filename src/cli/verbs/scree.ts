// `specmap scree FILE`: PCA explained variance per component and the components above the noise floor, to choose
// the number of NMF components.
import { loadSpectrumImage, prepareOutDir, undoFoldersOnError, writeJsonFile } from '../../data/io/node.js';
import { scree } from '../../methods/nmf/index.js';
import { screeReport } from '../../report/nmf.js';
import { writeReport } from '../../report/write-report.js';
import { backendLine } from '../backend-line.js';
import { energyLoadOptions, ENERGY_OPTIONS, ENERGY_USAGE, inputFile, numberOption, stringOption } from '../options.js';
import { PIXEL_MASK_OPTION, pixelMaskOption, withPixelMaskHint } from '../pixel-mask.js';
import { formatTable } from '../table.js';
import type { Verb } from '../verb.js';

const USAGE = `specmap scree FILE [--components N] [--poisson] [--out DIR]

Prints the PCA scree of the spectra: the share of the variance each component explains, the
cumulative share, and the suggested number of components for \`specmap nmf -k\`: the components
above the noise floor (eigenvalues of XᵀX/n above the Marchenko-Pastur edge of the estimated noise
variance, with a 1 % Tracy-Widom margin). The floor assumes noise of one variance everywhere:
for counts (Poisson noise) add --poisson. With --out, writes scree.json and index.html there.

  FILE                 spectra: .npy, .npz or HDF5/NeXus (.h5 .hdf5 .nxs .nx5),
                       HyperSpy .hspy [ny, nx, channels] or [n, channels], EMSA .msa/.ems
                       spectra, or a text table (.csv .tsv .txt .dat)
${ENERGY_USAGE}
  --components N       components to report (default 20)
  --poisson            Poisson normalisation first (as \`specmap nmf --poisson\`)
  --pixel-mask FILE    .npy [ny, nx] (or flat), non-zero = use the pixel: dead/NaN pixels left out (as nmf)
  -o, --out DIR        also write scree.json and index.html (refused if not empty unless --force)
  --force              write into a non-empty output folder`;

export const screeVerb: Verb = {
  name: 'scree',
  summary: 'PCA scree (explained variance per component, components above the noise floor) to choose k for nmf',
  usage: USAGE,
  usesEngine: true,
  options: {
    ...ENERGY_OPTIONS,
    ...PIXEL_MASK_OPTION,
    components: { type: 'string' },
    poisson: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
  },
  async run(ctx) {
    const file = inputFile(ctx, 'scree', 'specmap scree stack.npy');
    const components = numberOption(ctx.values, 'components', { integer: true, min: 1, max: 1000 }) ?? 20;
    const out = stringOption(ctx.values, 'out');
    const image = await loadSpectrumImage(file, energyLoadOptions(ctx.values));
    const pixelMask = pixelMaskOption(ctx.values, image);
    const made = out ? prepareOutDir(out, ctx.values.force === true) : [];
    // scree() refuses NaN/Inf among the selected pixels, naming the first, before the engine opens
    // (and logs its adapter); ctx.engine() then returns the same one.
    const s = await undoFoldersOnError(made, () =>
      scree(() => ctx.engine(), image, {
        components,
        poisson: ctx.values.poisson === true,
        ...(pixelMask ? { pixelMask } : {}),
      }).catch((e: unknown) => {
        throw withPixelMaskHint(e);
      }),
    );
    const engine = await ctx.engine();
    ctx.out(
      formatTable(
        ['component', 'explained', 'cumulative'],
        Array.from(s.explained, (e, i) => [i + 1, e.toExponential(3), s.cumulative[i]!.toFixed(6)]),
      ),
    );
    ctx.out(
      `suggested k = ${s.suggestedK} (components above the noise floor, noise variance ${s.noiseVariance.toExponential(3)} per channel; ` +
        `the largest drop on a log scale is after component ${s.elbow}) · ${backendLine(engine)}`,
    );
    if (out) {
      writeJsonFile(`${out}/scree.json`, {
        source: file,
        explained: Array.from(s.explained),
        cumulative: Array.from(s.cumulative),
        singularValues: Array.from(s.singularValues),
        suggestedK: s.suggestedK,
        noiseVariance: s.noiseVariance,
        noiseFloor: s.noiseFloor,
        elbow: s.elbow,
        totalVariance: s.totalVariance,
      });
      writeReport(
        out,
        screeReport(s, {
          source: file,
          adapter: engine.description,
          shape: `${image.ny} × ${image.nx} pixels × ${image.channels} channels`,
        }),
      );
      ctx.out(`wrote scree.json and index.html to ${out}/`);
    }
  },
};
