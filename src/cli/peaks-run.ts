// What `specmap fit` and `specmap demo` share: fit a spectrum image, write the maps (.npy each,
// maps.csv), summary.json and the HTML report into the output folder, and print the summary.
import { axisDecimals } from '../data/axis-decimals.js';
import type { SpectrumImage } from '../data/types.js';
import {
  checkpoint,
  prepareOutDir,
  removeMadeFolders,
  undoFoldersOnError,
  writeJsonFile,
  writeMapSet,
} from '../data/io/node.js';
import { AbortError, InputError, type Engine } from '../engine/index.js';
import { fitPeaks, type PeakFitOptions, type PeakFitResult } from '../methods/peaks/index.js';
import type { PeakAccuracy } from '../report/peaks-accuracy.js';
import { peakMedians, peaksReport } from '../report/peaks.js';
import { writeReport } from '../report/write-report.js';
import { energyDecreasesToRight } from './axis-direction.js';
import { csvChoice } from './csv-option.js';
import { withPixelMaskHint } from './pixel-mask.js';
import { inelasticSideWarnings, missingFlatPartError } from './shirley-side.js';
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
    // Each map's unit (positions and FWHMs in the energy axis' unit) and what it holds.
    maps: Object.fromEntries(
      Object.entries(result.maps).map(([k, m]) => [k, { unit: m.unit ?? '', description: m.description ?? '' }]),
    ),
    model: result.model,
    backgroundChoice: result.backgroundChoice ?? null,
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
    warnings: result.warnings,
  };
}

export type RunSummary = ReturnType<typeof runSummary> & { accuracy?: PeakAccuracy[] };

/** Fit, write every output, print the summary table. Returns what summary.json holds. */
export async function runPeakFit(ctx: VerbContext, run: PeakRun): Promise<RunSummary> {
  // The folder is checked (and made) before the fit, so a busy --out fails at once, not after it;
  // a folder made here is taken back if the fit then refuses the input.
  const bg = run.options.background;
  const flatPart = Array.isArray(bg) ? missingFlatPartError(run.image, bg) : null;
  if (flatPart) throw new InputError(flatPart);
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
  const csv = csvChoice(ctx.values, result.maps);
  // Ctrl-C between or inside files stops here: the files already written stay, the partial one goes.
  await stoppedWhileWriting(run.out, async () => {
    await writeMapSet(run.out, result.maps, { csv: csv.write, signal: ctx.signal });
    writeJsonFile(`${run.out}/summary.json`, summary);
    await checkpoint(ctx.signal);
    const report = peaksReport(result, run.image, {
      title: `Peak fit: ${run.source}`,
      source: run.source,
      adapter: engine.description,
      given: run.given,
      accuracy,
      // An explicit background says which energy the axis is; the auto choice leaves it to the data.
      reverseX: energyDecreasesToRight(run.image, Array.isArray(bg) ? bg : undefined, run.reverseX),
    });
    await checkpoint(ctx.signal);
    writeReport(run.out, report);
  });

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
  for (const w of inelasticSideWarnings(run.image, result.model.background)) ctx.warn(w);
  for (const w of tougaardScaleWarnings(run.image, result.model.background, run.options.tougaardC)) ctx.warn(w);
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

/** `write()`, an interruption of which says what became of the output folder. */
async function stoppedWhileWriting(out: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (!(e instanceof AbortError)) throw e;
    const detail = /while writing/.test(e.message) ? e.message : 'interrupted while writing';
    throw new AbortError(`${detail}; the files finished before it stay in ${out}/`);
  }
}

/** v to `decimals` places; a dash where there is no value (no converged pixel). */
function fixed(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : '—';
}

export function backendLine(engine: Engine): string {
  if (!engine.gpu) return 'cpu (TypeScript reference, float64)';
  return `webgpu (${engine.description}${engine.gpu.isSoftware ? '; software: runs on the CPU' : ''})`;
}
