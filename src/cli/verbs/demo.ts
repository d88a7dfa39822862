// `specmap demo`: generate the bundled Mo 3d map (no data files needed), fit it, write the report,
// and print how close the fit came to the generator's truth.
import { InputError } from '../../engine/errors.js';
import { mo3dMap } from '../../methods/peaks/index.js';
import { peakAccuracy, type PeakAccuracy } from '../../report/peaks-accuracy.js';
import { CSV_OPTION_ROW } from '../csv-option.js';
import { clearPreviousDemo, markDemoFolder } from '../demo-folder.js';
import { optionValue, type OptionTable } from '../../methods/option-table.js';
import { OUTPUT_OPTIONS } from '../global-options.js';
import { helpRows, parseSpec, tableValues } from '../option-table.js';
import { parseBackground } from '../peaks/peak-spec.js';
import { runPeakFit } from '../peaks/run.js';
import { formatTable } from '../table.js';
import type { Verb } from '../verb.js';
import { givenOptions } from './fit.js';

/** The demo's background: its data hold a flat offset plus a Shirley step on the binding-energy axis. */
export const DEMO_BACKGROUND = 'shirley,uniform';

const DEMO_OPTIONS = {
  size: { kind: 'integer', min: 1, max: 4096, default: 100, flag: 'size', meta: 'N', help: 'N × N pixels' },
  seed: { kind: 'integer', min: 0, max: 0xffffffff, default: 1, flag: 'seed', meta: 'S', help: 'generator seed' },
  background: {
    kind: 'text',
    flag: 'background',
    meta: 'LIST',
    default: DEMO_BACKGROUND,
    help:
      'as for fit: the active Shirley step plus a flat part model these data; ' +
      "'ramps' shows the bias of a linear one",
  },
  out: {
    kind: 'text',
    flag: 'out',
    short: 'o',
    meta: 'DIR',
    default: 'specmap-demo',
    help: "output folder; a previous demo's output there is replaced, a folder holding anything else is refused",
  },
  force: OUTPUT_OPTIONS.force,
  csv: CSV_OPTION_ROW,
} satisfies OptionTable;

const USAGE = `specmap demo [--size N] [--seed S] [--background LIST] [--csv] [--out DIR] [--force]

Generates a synthetic Mo 3d XPS map (the 3d5/2 + 3d3/2 doublet, split 3.13 eV, area ratio 2:3,
on a flat offset plus a Shirley-like step with Poisson noise; 281 channels 225-239 eV, binding
energy), fits it with the linked doublet, writes maps, maps.csv, summary.json and index.html,
and prints the accuracy against the generator's truth.

${helpRows(DEMO_OPTIONS)}`;

function accuracyTable(acc: PeakAccuracy[]): string {
  return formatTable(
    ['peak', 'pixels', '|Δpos| median (eV)', '|Δpos| p95 (eV)', '|ΔFWHM| median (eV)', 'area rel. err. median'],
    acc.map((a) => [a.peak, a.pixels, a.positionMedian, a.positionP95, a.fwhmMedian, a.areaRelMedian]),
  );
}

export const demo: Verb = {
  name: 'demo',
  summary: 'fit the bundled synthetic Mo 3d map and compare with its truth (no data needed)',
  usage: USAGE,
  usesEngine: true,
  options: parseSpec(DEMO_OPTIONS),
  async run(ctx) {
    if (ctx.positionals.length > 0)
      throw new InputError(`demo: takes no file (it generates its data), got '${ctx.positionals[0]}'`);
    const given = tableValues(DEMO_OPTIONS, ctx.values);
    const size = optionValue(DEMO_OPTIONS, 'size', given.size);
    const seed = optionValue(DEMO_OPTIONS, 'seed', given.seed);
    const out = optionValue(DEMO_OPTIONS, 'out', given.out);
    const background = parseBackground(optionValue(DEMO_OPTIONS, 'background', given.background));
    const data = mo3dMap({ nx: size, ny: size, seed });
    const pairs: [string, string][] = [
      ['Mo3d52', 'Mo3d52'],
      ['Mo3d32', 'Mo3d32'],
    ];
    const force = ctx.values.force === true;
    const ours = clearPreviousDemo(out, force);
    const summary = await runPeakFit(ctx, {
      image: data.image,
      options: { ...data.fitOptions, background },
      source: `synthetic Mo 3d map (${size}×${size}, seed ${seed})`,
      out,
      force,
      given: { ...givenOptions(ctx.values), size, seed, background: background.join(','), out },
      reverseX: true,
      accuracy: (result) => peakAccuracy(result.maps, data.truth, pairs),
    }).finally(() => {
      // Whatever the run left (all of it, or the files finished before Ctrl-C) is the demo's.
      if (ours) markDemoFolder(out);
    });
    ctx.out('');
    ctx.out('accuracy against the generator truth (converged pixels):');
    ctx.out(accuracyTable(summary.accuracy!));
  },
};
