// What `specmap fit` and `specmap demo` share: fit a spectrum image, write the maps (.npy each,
// maps.csv), summary.json and the HTML report into the output folder, and print the summary.
import { axisDecimals } from '../../data/axis-decimals.js';
import type { SpectrumImage } from '../../data/types.js';
import { prepareOutDir, removeMadeFolders, undoFoldersOnError } from '../../data/io/node.js';
import { InputError } from '../../engine/index.js';
import { fitPeaks, type PeakFitOptions, type PeakFitResult } from '../../methods/peaks/index.js';
import type { PeakAccuracy } from '../../report/peaks-accuracy.js';
import { writeFitOutputs, type RunSummary } from '../outputs/fit.js';
import { withPixelMaskHint } from '../pixel-mask.js';
import { PEAK_OPTIONS } from '../../methods/peaks/model.js';
import { flagNamer } from '../option-table.js';
import { formatNumber, formatTable } from '../table.js';
import type { VerbContext } from '../verb.js';
import { backendLine } from '../backend-line.js';

export interface PeakRun {
  image: SpectrumImage;
  options: PeakFitOptions;
  /** Where the spectra came from (file name or generator), for the summary and report. */
  source: string;
  out: string;
  force: boolean;
  /** The command-line options as given, recorded in summary.json and the report. */
  given: Record<string, unknown>;
  /** Accuracy against a known truth (the demo), added to summary.json and the report. */
  accuracy?: (result: PeakFitResult) => PeakAccuracy[];
  /**
   * Plot energy decreasing to the right (binding energy). Default (axis-direction.ts): on a
   * binding-energy axis (a 'shirley'/'tougaard' background, or a unit that says so), increasing on
   * a kinetic-energy one, else when the input's axis descends.
   */
  reverseX?: boolean;
}

/** Fit, write every output, print the summary table. Returns what summary.json holds. */
export async function runPeakFit(ctx: VerbContext, run: PeakRun): Promise<RunSummary> {
  // The folder is checked (and made) before the fit, so a busy --out fails at once, not after it;
  // a folder made here is taken back if the fit then refuses the input.
  const made = prepareOutDir(run.out, run.force);
  // The engine opens (and logs its adapter) only once the input has passed fitPeaks's checks.
  const result: PeakFitResult = await undoFoldersOnError(made, () =>
    fitPeaks(ctx.engine, run.image, run.options, {
      onProgress: ctx.progress('specmap'),
      signal: ctx.signal,
      name: flagNamer(PEAK_OPTIONS),
    }).catch((e: unknown) => {
      throw withPixelMaskHint(e);
    }),
  );
  if (result.summary.empty === result.summary.pixels - result.summary.masked) {
    // The library returns NaN maps for empty spectra (a front end may fit an empty region); on the
    // command line a run where no pixel holds counts is a mistake, not a result to write.
    removeMadeFolders(made);
    const n = result.summary.empty;
    const sel = result.summary.masked > 0 ? ' selected' : '';
    throw new InputError(
      `${run.source}: ${n === 1 ? `the${sel} spectrum holds` : `all ${n}${sel} spectra hold`} no counts${run.options.negative === 'clip' ? ' once negative values are set to 0' : ''}: nothing to fit`,
    );
  }
  const engine = await ctx.engine();
  const accuracy = run.accuracy?.(result);
  const { summary, csv } = await writeFitOutputs(ctx, run, result, engine, accuracy);

  const unit = run.image.energyUnit;
  const headers = ['peak', `position (${unit})`, `FWHM (${unit})`, 'area (counts)'];
  // Fixed decimals (a position needs its meV, which 4 significant digits would drop), right-aligned.
  const cell = (v: number, decimals: number, j: number) => fixed(v, decimals).padStart(headers[j]!.length);
  const d = axisDecimals(run.image.energy);
  ctx.out(
    formatTable(
      headers,
      summary.medians.map((m) => [m.peak, cell(m.position, d, 1), cell(m.fwhm, d, 2), cell(m.area, 0, 3)]),
    ),
  );
  const fitted = summary.pixels - summary.empty - summary.masked;
  const pct = (100 * summary.converged) / Math.max(1, fitted);
  ctx.out(
    `medians over converged pixels · converged ${summary.converged}/${fitted} (${formatNumber(pct, 3)} %)` +
      ` · ${formatNumber(result.timing.totalMs / 1000, 3)} s · ${formatNumber(summary.spectraPerSecond, 3)} spectra/s · ${backendLine(engine)}`,
  );
  for (const w of result.warnings) ctx.warn(`specmap: warning: ${w}`);
  if (result.backgroundChoice) ctx.out(`background auto: ${result.backgroundChoice.reason}`);
  if (summary.masked > 0)
    ctx.out(`${summary.masked} pixel(s) left out by --pixel-mask: not fitted (converged = 0, maps NaN)`);
  if (summary.empty > 0)
    ctx.warn(
      `specmap: ${summary.empty}${summary.masked > 0 ? ' selected' : ''} pixel(s) hold no counts: not fitted (converged = 0, maps NaN)`,
    );
  if (summary.notConverged > 0)
    ctx.warn(
      `specmap: ${summary.notConverged} pixel(s) reached --max-iter ${result.model.maxIterations} without converging (converged = 0)`,
    );
  ctx.out(
    `wrote ${Object.keys(result.maps).length} maps (.npy), ${csv.write ? 'maps.csv, ' : ''}summary.json and index.html to ${run.out}/`,
  );
  if (csv.skipped) ctx.out(csv.skipped);
  return summary;
}

/** v to `decimals` places; a dash where there is no value (no converged pixel). */
function fixed(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : '—';
}
