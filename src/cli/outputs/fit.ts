// Everything `specmap fit` and `specmap demo` write: one .npy per map and maps.csv, summary.json
// (options, backend, timing, throughput, convergence, medians, accuracy) and the report.
import { writeJsonFile, writeMapSet } from '../../data/io/node.js';
import type { Engine } from '../../engine/index.js';
import type { PeakFitResult } from '../../methods/peaks/index.js';
import type { PeakAccuracy } from '../../report/peaks-accuracy.js';
import { peakMedians, peaksReport } from '../../report/peaks.js';
import { writeReport } from '../../report/write-report.js';
import { energyDecreasesToRight } from '../peaks/axis-direction.js';
import type { PeakRun } from '../peaks/run.js';

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

/** Writes every output into run.out; returns what summary.json holds. */
export function writeFitOutputs(
  run: PeakRun,
  result: PeakFitResult,
  engine: Engine,
  accuracy: PeakAccuracy[] | undefined,
): RunSummary {
  const summary: RunSummary = { ...runSummary(run, result, engine), ...(accuracy ? { accuracy } : {}) };
  writeMapSet(run.out, result.maps);
  writeJsonFile(`${run.out}/summary.json`, summary);
  const report = peaksReport(result, run.image, {
    title: `Peak fit: ${run.source}`,
    source: run.source,
    adapter: engine.description,
    given: run.given,
    accuracy,
    reverseX: energyDecreasesToRight(run.image, run.options.background, run.reverseX),
  });
  writeReport(run.out, report);
  return summary;
}
