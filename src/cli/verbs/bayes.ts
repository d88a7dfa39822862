// `specmap bayes FILE --kmax 4 --out DIR`: replica-exchange Monte Carlo per spectrum (Nagata,
// Sugita & Okada 2012): F(K), p(K|D), the noise level and posterior summaries of each peak.
// `specmap bayes --demo` runs the paper's synthetic test. Options come from BAYES_OPTIONS (parser,
// checks and --help made by cli/option-table.ts).
import { loadSpectrumImage, prepareOutDir, undoFoldersOnError, writeJsonFile } from '../../data/io/node.js';
import { writeMapSet } from '../../data/io/write.js';
import { InputError } from '../../engine/errors.js';
import type { OptionTable } from '../../methods/option-table.js';
import { BAYES_OPTIONS, bayesPeaks, type BayesOptions, type BayesResult } from '../../methods/bayes/index.js';
import { axis, PAPER_PRIORS, PAPER_TRUTH, synthSpectra } from '../../methods/bayes/synth.js';
import { backendLine } from '../backend-line.js';
import { OUTPUT_OPTIONS } from '../global-options.js';
import { helpRows, parseSpec, tableValues } from '../option-table.js';
import { ENERGY_OPTIONS, ENERGY_USAGE, energyLoadOptions, stringOption } from '../options.js';
import { formatTable } from '../table.js';
import type { Verb, VerbContext } from '../verb.js';

/** The shared --out/--force rows; --out is optional here (without it nothing is written). */
const OUTPUT = {
  ...OUTPUT_OPTIONS,
  out: { ...OUTPUT_OPTIONS.out, help: 'write the results there (optional; refused if not empty unless --force)' },
} satisfies OptionTable;

/** Sweeps of the demo unless given: enough for the paper's test in a minute or two. */
const DEMO_SWEEPS = 1000;

const USAGE = `specmap bayes FILE [--kmax K] [--out DIR] [options]
specmap bayes --demo [--out DIR]

For every spectrum: models with K = 1..kmax Gaussian peaks a·exp(−b (x − μ)² / 2) sampled by
replica-exchange Monte Carlo; prints and writes the free energy F(K), p(K|D), the selected K,
the noise level (estimated over the temperature ladder), and each peak's posterior mean, sd and
95 % credible interval (peaks ordered by position). Writes k_selected.npy, noise.npy,
free_energy.npy [spectra, kmax], p_k.npy, peak<k>_<param>_mean/_sd.npy and summary.json.

  FILE                 spectra: .npy, .npz or HDF5/NeXus (.h5 .hdf5 .nxs .nx5) [ny, nx, channels] or
                       [n, channels], or a text table (.csv)
${ENERGY_USAGE}
  --demo               the paper's synthetic test (x = 0..3, 301 points, s = 0.1, three peaks;
                       ${DEMO_SWEEPS} + ${DEMO_SWEEPS} sweeps unless given)
${helpRows(BAYES_OPTIONS)}
${helpRows(OUTPUT)}`;

const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : 'NaN');

function printOne(ctx: VerbContext, r: BayesResult, i: number, truth?: typeof PAPER_TRUTH): void {
  const s = r.spectra[i]!;
  ctx.out(
    formatTable(
      ['K', 'F(K)', 'p(K|D)', 'noise'],
      Array.from(s.free, (v, k) => [k + 1, f(v, 3), f(s.pK[k]!, 4), f(s.noiseByK[k]!, 4)]),
    ),
  );
  ctx.out(`selected K = ${s.kSelected}, noise ${f(s.noise)}${truth ? ` (paper: K = 3, noise ${truth.noise})` : ''}`);
  const rows: (string | number)[][] = [];
  s.peaks.forEach((p, k) => {
    for (const [name, key, tv] of [
      ['height a', 'height', truth?.a[k]],
      ['position μ', 'position', truth?.mu[k]],
      ['b', 'b', truth?.b[k]],
    ] as const) {
      const q = p[key];
      const row: (string | number)[] = [k + 1, name, f(q.mean), f(q.sd), `[${f(q.lo95)}, ${f(q.hi95)}]`, f(q.rhat, 3)];
      if (truth) row.push(tv === undefined ? '' : String(tv));
      rows.push(row);
    }
  });
  const head = ['peak', 'parameter', 'mean', 'sd', '95 % interval', 'R-hat'];
  ctx.out(formatTable(truth ? [...head, 'paper (truth)'] : head, rows));
}

function summaryJson(source: string, r: BayesResult): unknown {
  return {
    source,
    method: 'replica-exchange Monte Carlo (Nagata, Sugita & Okada 2012)',
    settings: { ...r.settings, noiseFloor: Array.from(r.settings.noiseFloor), betas: Array.from(r.settings.betas) },
    backend: r.backend,
    timing: r.timing,
    warnings: r.warnings,
    spectra: r.spectra.map((s) => ({
      kSelected: s.kSelected,
      noise: s.noise,
      freeEnergy: Array.from(s.free),
      pK: Array.from(s.pK),
      noiseByK: Array.from(s.noiseByK),
      peaks: s.peaks,
      background: s.background,
      rhatMax: s.rhatMax,
      diagnostics: s.diagnostics.map((d, k) => ({
        K: k + 1,
        exchange: Array.from(d.exchange),
        roundTrips: d.roundTrips,
        acceptance: Array.from(d.acceptance),
      })),
    })),
  };
}

export const bayesVerb: Verb = {
  name: 'bayes',
  summary: 'Bayesian peak count, noise and error bars per spectrum (replica-exchange Monte Carlo)',
  usage: USAGE,
  usesEngine: true,
  options: {
    ...ENERGY_OPTIONS,
    ...parseSpec(BAYES_OPTIONS),
    demo: { type: 'boolean' },
    ...parseSpec(OUTPUT),
  },
  async run(ctx) {
    const demo = ctx.values.demo === true;
    if (demo && ctx.positionals.length)
      throw new InputError(
        `bayes --demo: takes no file (it generates the paper's spectrum), got '${ctx.positionals[0]}'`,
      );
    if (!demo && ctx.positionals.length !== 1)
      throw new InputError(
        ctx.positionals.length
          ? `bayes: one input file only, got ${ctx.positionals.length}`
          : 'bayes: give the spectra file, e.g. specmap bayes spectra.npy --kmax 4 --out result (or --demo)',
      );
    // Every flag checked against BAYES_OPTIONS (naming the flag) before anything is read.
    const options = tableValues(BAYES_OPTIONS, ctx.values) as BayesOptions;
    const image = demo
      ? synthSpectra(axis(301, 0, 3), [PAPER_TRUTH], 1)
      : await loadSpectrumImage(ctx.positionals[0]!, energyLoadOptions(ctx.values));
    const run: BayesOptions = demo
      ? { ...PAPER_PRIORS, burnIn: DEMO_SWEEPS, sweeps: DEMO_SWEEPS, ...options }
      : options;
    const out = stringOption(ctx.values, 'out');
    const made = out ? prepareOutDir(out, ctx.values.force === true) : [];
    const r = await undoFoldersOnError(made, () =>
      bayesPeaks(() => ctx.engine(), image, run, { onProgress: ctx.progress('bayes'), signal: ctx.signal }),
    );
    const engine = await ctx.engine();
    const count = r.spectra.length;
    if (count === 1) printOne(ctx, r, 0, demo ? PAPER_TRUTH : undefined);
    else {
      const shown = r.spectra.slice(0, 20);
      ctx.out(
        formatTable(
          ['spectrum', 'K', 'p(K|D)', 'noise'],
          shown.map((s, i) => [i, s.kSelected, f(s.pK[s.kSelected - 1]!), f(s.noise)]),
        ),
      );
      if (count > shown.length) ctx.out(`(${count - shown.length} more spectra in the output files)`);
    }
    for (const w of r.warnings) ctx.warn(`warning: ${w}`);
    ctx.out(`${count} spectra in ${(r.timing.totalMs / 1000).toFixed(1)} s · ${backendLine(engine)}`);
    if (out) {
      await writeMapSet(out, r.maps, { csv: false, signal: ctx.signal });
      writeJsonFile(
        `${out}/summary.json`,
        summaryJson(demo ? 'paper test (Nagata et al. 2012)' : ctx.positionals[0]!, r),
      );
      ctx.out(`wrote ${Object.keys(r.maps).length} .npy files and summary.json to ${out}/`);
    }
  },
};
