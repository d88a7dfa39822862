// Everything `specmap segment` writes: labels, confidence, probabilities, class means (.npy and
// .csv), the k-means start, traces.csv, summary.json and the report.
import { writeJsonFile, writeNpyFile, writeOutput } from '../../data/io/node.js';
import type { SpectrumImage } from '../../data/types.js';
import { meanConfidence, type MrfResult } from '../../methods/mrf/index.js';
import { mrfReport } from '../../report/mrf.js';
import { writeReport } from '../../report/write-report.js';

export interface SegmentRun {
  image: SpectrumImage;
  source: string;
  /** The command-line options as given. */
  given: Record<string, unknown>;
  adapter: string;
}

/** Writes every output into `out`; returns the file names written. */
export function writeSegmentOutputs(out: string, r: MrfResult, run: SegmentRun): string[] {
  const { image } = run;
  const { ny, nx, channels } = image;
  const { k } = r;
  const seconds = r.timing.totalMs / 1000;
  writeNpyFile(`${out}/labels.npy`, r.labels, [ny, nx]);
  writeNpyFile(`${out}/confidence.npy`, r.confidence, [ny, nx]);
  writeNpyFile(`${out}/probabilities.npy`, r.probabilities, [ny, nx, k]);
  writeNpyFile(`${out}/class_means.npy`, Float32Array.from(r.means), [k, channels]);
  writeNpyFile(`${out}/kmeans_labels.npy`, r.kmeansLabels, [ny, nx]);
  const header = ['energy', ...Array.from({ length: k }, (_, c) => `class_${c}`)].join(',');
  const rows = Array.from({ length: channels }, (_, j) =>
    [image.energy[j], ...Array.from({ length: k }, (_, c) => r.means[c * channels + j])].join(','),
  );
  writeOutput(out, 'class_means.csv', `${header}\n${rows.join('\n')}\n`);
  const n = Math.max(r.betaTrace.length, r.logPosteriorTrace.length);
  const traces = Array.from({ length: n }, (_, i) => `${i},${r.betaTrace[i] ?? ''},${r.logPosteriorTrace[i] ?? ''}`);
  writeOutput(out, 'traces.csv', `index,beta,log_posterior\n${traces.join('\n')}\n`);
  writeJsonFile(`${out}/summary.json`, {
    source: run.source,
    shape: { ny, nx, channels },
    options: r.options,
    given: run.given,
    classSizes: r.classSizes,
    masked: r.masked,
    classVariances: Array.from(r.variances),
    beta: r.betaTrace.at(-1),
    betaTrace: r.betaTrace,
    logPosteriorTrace: r.logPosteriorTrace,
    meanConfidence: meanConfidence(r),
    kmeansIterations: r.kmeansIterations,
    sweeps: r.sweeps,
    labelUpdates: r.labelUpdates,
    seconds,
    timing: r.timing,
    backend: r.backend,
    adapter: run.adapter,
  });
  writeReport(
    out,
    mrfReport(r, {
      source: run.source,
      adapter: run.adapter,
      given: run.given,
      energy: image.energy,
      energyUnit: image.energyUnit,
      seconds,
    }),
  );
  return [
    'labels.npy',
    'confidence.npy',
    'probabilities.npy',
    'class_means.npy',
    'class_means.csv',
    'kmeans_labels.npy',
    'traces.csv',
    'summary.json',
    'index.html',
  ];
}
