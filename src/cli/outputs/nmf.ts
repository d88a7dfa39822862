// Everything `specmap nmf` writes: factors and loadings (.npy, and the loadings per pixel for
// `specmap segment`), residual, factors.csv, loss.csv, summary.json and the report.
import { writeJsonFile, writeNpyFile, writeOutput } from '../../data/io/node.js';
import type { SpectrumImage } from '../../data/types.js';
import { componentMaps, type NmfResult } from '../../methods/nmf/index.js';
import { nmfReport } from '../../report/nmf.js';
import { writeReport } from '../../report/write-report.js';

export interface NmfRun {
  image: SpectrumImage;
  source: string;
  /** The command-line options as given. */
  given: Record<string, unknown>;
  /** Pixels the pixel mask left out. */
  masked: number;
  adapter: string;
}

/** Writes every output into `out`; returns the file names written. */
export function writeNmfOutputs(out: string, r: NmfResult, run: NmfRun): string[] {
  const { image } = run;
  const { ny, nx, channels } = image;
  writeNpyFile(`${out}/factors.npy`, r.factors.data, r.factors.shape);
  // One map per component for map readers; per pixel, [ny, nx, k], as `specmap segment` reads features.
  writeNpyFile(`${out}/loadings.npy`, componentMaps(r.loadings), [r.k, ny, nx]);
  writeNpyFile(`${out}/pixel_loadings.npy`, r.loadings.data, r.loadings.shape);
  writeNpyFile(`${out}/residual.npy`, r.residual.data, r.residual.shape);
  const header = ['energy', ...Array.from({ length: r.k }, (_, t) => `component_${t + 1}`)].join(',');
  const lines = Array.from({ length: channels }, (_, c) =>
    [image.energy[c], ...Array.from({ length: r.k }, (_, t) => r.factors.data[t * channels + c])].join(','),
  );
  writeOutput(out, 'factors.csv', `${header}\n${lines.join('\n')}\n`);
  writeOutput(
    out,
    'loss.csv',
    `iteration,loss\n${Array.from(r.loss, (l, i) => `${r.lossIterations[i]},${l}`).join('\n')}\n`,
  );
  writeJsonFile(`${out}/summary.json`, {
    source: run.source,
    shape: { ny, nx, channels, energyUnit: image.energyUnit },
    options: run.given,
    method: r.method,
    k: r.k,
    iterations: r.iterations,
    converged: r.converged,
    loss: Array.from(r.loss),
    lossIterations: Array.from(r.lossIterations),
    relativeError: r.relativeError,
    orthogonality: r.orthogonality,
    restartErrors: r.restartErrors,
    timing: r.timing,
    backend: r.backend,
    adapter: run.adapter,
    masked: run.masked,
    negative: r.negative ?? null,
  });
  writeReport(
    out,
    nmfReport(r, image, { source: run.source, adapter: run.adapter, given: run.given, masked: run.masked }),
  );
  return [
    'factors.npy',
    'factors.csv',
    'loadings.npy',
    'pixel_loadings.npy',
    'residual.npy',
    'loss.csv',
    'summary.json',
    'index.html',
  ];
}
