// Everything `specmap fit` and `specmap demo` write: one .npy per map and maps.csv, summary.json
// (options, backend, timing, throughput, convergence, medians, accuracy) and the report.
import { checkpoint, writeJsonFile, writeMapSet } from '../../data/io/node.js';
import { AbortError, type Engine } from '../../engine/index.js';
import type { PeakFitResult } from '../../methods/peaks/index.js';
import type { PeakAccuracy } from '../../report/peaks-accuracy.js';
import { peakMedians, peaksReport } from '../../report/peaks.js';
import { writeReport } from '../../report/write-report.js';
import { energyDecreasesToRight } from '../peaks/axis-direction.js';
import type { PeakRun } from '../peaks/run.js';
import { csvChoice } from '../csv-option.js';
import type { VerbContext } from '../verb.js';

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

/** Writes every output into run.out; Ctrl-C between or inside files stops it, the files already
 * written stay and the partial one goes. Returns what summary.json holds and the maps.csv choice. */
export async function writeFitOutputs(
  ctx: VerbContext,
  run: PeakRun,
  result: PeakFitResult,
  engine: Engine,
  accuracy: PeakAccuracy[] | undefined,
): Promise<{ summary: RunSummary; csv: ReturnType<typeof csvChoice> }> {
  const summary: RunSummary = { ...runSummary(run, result, engine), ...(accuracy ? { accuracy } : {}) };
  const csv = csvChoice(ctx.values, result.maps);
  const bg = run.options.background;
  await stoppedWhileWriting(run.out, async () => {
    await writeMapSet(run.out, result.maps, { csv: csv.write, signal: ctx.signal });
    writeJsonFile(`${run.out}/summary.json`, summary);
    await checkpoint(ctx.signal);
    const report = peaksReport(result, run.image, {
      title: `Peak fit: ${run.source}`,
      source: run.source,
      adapter: engine.description,
      softwareAdapter: engine.gpu?.isSoftware ?? false,
      given: run.given,
      accuracy,
      // An explicit background says which energy the axis is; the auto choice leaves it to the data.
      reverseX: energyDecreasesToRight(run.image, Array.isArray(bg) ? bg : undefined, run.reverseX),
    });
    await checkpoint(ctx.signal);
    writeReport(run.out, report);
  });
  return { summary, csv };
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
