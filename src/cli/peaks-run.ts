// What `specmap fit` and `specmap demo` share: fit a spectrum image, write the maps (.npy each,
// maps.csv), summary.json and the HTML report into the output folder, and print the summary.
import type { SpectrumImage } from '../data/types.js';
import { prepareOutDir, removeMadeFolders, undoFoldersOnError, writeJsonFile, writeMapSet } from '../data/io/node.js';
import { InputError, type Engine } from '../engine/index.js';
import { fitPeaks, type PeakFitOptions, type PeakFitResult } from '../methods/peaks/index.js';
import type { PeakAccuracy } from '../report/peaks-accuracy.js';
import { peakMedians, peaksReport } from '../report/peaks.js';
import { writeReport } from '../report/write-report.js';
import { energyDecreasesToRight } from './axis-direction.js';
import { withPixelMaskHint } from './pixel-mask.js';
import { inelasticSideWarnings } from './shirley-side.js';
import { tougaardScaleWarnings } from './tougaard-scale.js';
import { formatNumber, formatTable } from './table.js';
import type { VerbContext } from './verb.js';

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

/** Everything summary.json holds: options, backend, timing, throughput, convergence, medians. */
export function runSummary(run: PeakRun, result: PeakFitResult, engine: Engine) {
  const s = result.summary;
  const seconds = result.timing.totalMs / 1000;
  return {
    source: run.source,
    shape: { ny: run.image.ny, nx: run.image.nx, channels: run.image.channels, energyUnit: run.image.energyUnit },
    energy: { first: run.image.energy[0], last: run.image.energy[run.image.channels - 1] },
    options: run.given,
    model: result.model,
    backend: result.backend,
    adapter: engine.description,
    software: engine.gpu?.isSoftware ?? null,
    timing: result.timing,
    spectraPerSecond: s.pixels / seconds,
    pixels: s.pixels,
    converged: s.converged,
    notConverged: s.pixels - s.empty - s.masked - s.converged,
    empty: s.empty,
    masked: s.masked,
    meanIterations: s.meanIterations,
    maxIterationsRun: s.maxIterations,
    medians: peakMedians(result),
    meanSpectrumFit: result.mean && {
      params: result.mean.params,
      loglik: result.mean.loglik,
      startLoglik: result.mean.startLoglik,
    },
    start: result.start,
  };
}

export type RunSummary = ReturnType<typeof runSummary> & { accuracy?: PeakAccuracy[] };

/** Fit, write every output, print the summary table. Returns what summary.json holds. */
export async function runPeakFit(ctx: VerbContext, run: PeakRun): Promise<RunSummary> {
  // The folder is checked (and made) before the fit, so a busy --out fails at once, not after it;
  // a folder made here is taken back if the fit then refuses the input.
  const made = prepareOutDir(run.out, run.force);
  // The engine opens (and logs its adapter) only once the input has passed fitPeaks's checks.
  const result: PeakFitResult = await undoFoldersOnError(made, () =>
    fitPeaks(run.image, run.options, ctx.engine, { onProgress: ctx.progress('specmap'), signal: ctx.signal }).catch(
      (e: unknown) => {
        throw withPixelMaskHint(e);
      },
    ),
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
  const summary: RunSummary = { ...runSummary(run, result, engine), ...(accuracy ? { accuracy } : {}) };
  writeMapSet(run.out, result.maps);
  writeJsonFile(`${run.out}/summary.json`, summary);
  const report = peaksReport(result, run.image, {
    title: `Peak fit: ${run.source}`,
    source: run.source,
    adapter: engine.description,
    softwareAdapter: engine.gpu?.isSoftware ?? false,
    given: run.given,
    accuracy,
    reverseX: energyDecreasesToRight(run.image, run.options.background, run.reverseX),
  });
  writeReport(run.out, report);

  const unit = run.image.energyUnit;
  const headers = ['peak', `position (${unit})`, `FWHM (${unit})`, 'area (counts)'];
  // Fixed decimals (a position needs its meV, which 4 significant digits would drop), right-aligned.
  const cell = (v: number, decimals: number, j: number) => fixed(v, decimals).padStart(headers[j]!.length);
  const d = axisDecimals(run.image);
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
  for (const w of inelasticSideWarnings(run.image, run.options.background)) ctx.warn(w);
  for (const w of tougaardScaleWarnings(run.image, run.options.background, run.options.tougaardC)) ctx.warn(w);
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
  ctx.out(`wrote ${Object.keys(result.maps).length} maps (.npy), maps.csv, summary.json and index.html to ${run.out}/`);
  return summary;
}

/** Decimals for positions and FWHMs: 3 (meV on an eV axis), or one past the mean channel step's first
 *  digit on a finer axis (a keV axis' 5e-5 step: 6), so its positions are not rounded to 0.228. */
function axisDecimals(image: SpectrumImage): number {
  const n = image.channels;
  const step = n > 1 ? Math.abs(image.energy[n - 1]! - image.energy[0]!) / (n - 1) : 0;
  return step > 0 && Number.isFinite(step) ? Math.min(12, Math.max(3, Math.ceil(-Math.log10(step)) + 1)) : 3;
}

/** v to `decimals` places; a dash where there is no value (no converged pixel). */
function fixed(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : '—';
}

export function backendLine(engine: Engine): string {
  if (!engine.gpu) return 'cpu (TypeScript reference, float64)';
  return `webgpu (${engine.description}${engine.gpu.isSoftware ? '; software: runs on the CPU' : ''})`;
}
