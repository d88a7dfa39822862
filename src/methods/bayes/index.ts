// Bayesian spectroscopy (Nagata, Sugita & Okada 2012): for every spectrum, replica-exchange Monte
// Carlo over models with K = 1..kmax Gaussian peaks gives the free energy F(K), p(K|D), the noise
// level and posterior summaries of each peak's parameters. WebGPU when the engine has it, else the
// float64 CPU reference.
import { resolveEngine, type EngineSource, type RunControl } from '../../engine/index.js';
import type { MapSet, SpectrumImage } from '../../data/types.js';
import type { RemcBackend } from './backend.js';
import { remcLayout } from './layout.js';
import { CpuRemcBackend } from './cpu.js';
import { GpuRemcBackend } from './gpu.js';
import { runRemc, PEAK_PARAMS, type SpectrumResult } from './driver.js';
import { bayesSettings, paramCount, type BayesOptions, type BayesSettings } from './model.js';

export * from './model.js';
export { PEAK_PARAMS, fwhmOf, type SpectrumResult, type PeakParam } from './driver.js';
export type { ParamSummary, Diagnostics } from './summary.js';

export interface BayesResult {
  /** k_selected, noise [ny, nx]; free_energy, p_k [spectra, kmax]; peak<k>_<param>_mean/_sd [ny, nx]
   * for peaks of the selected model (NaN where a spectrum selected fewer peaks). */
  maps: MapSet;
  /** Everything per spectrum: F(K), p(K|D), summaries with credible intervals, diagnostics. */
  spectra: SpectrumResult[];
  settings: BayesSettings;
  /** The axis the model saw (ascending). */
  axis: Float64Array;
  backend: 'webgpu' | 'cpu';
  timing: { initMs: number; runMs: number; totalMs: number };
  warnings: string[];
}

/** Spectra per batch on the GPU: the residual curves and samples of one batch fit one binding. */
function chunkFor(s: BayesSettings, n: number, maxBytes: number): number {
  const ly = remcLayout(s.replicas, paramCount(s.kmax, s.background), s.samples);
  const perSpectrum = s.chains * 4 * Math.max(2 * ly.L * n, ly.sStride);
  return Math.max(1, Math.min(8192, Math.floor(maxBytes / perSpectrum)));
}

export async function bayesPeaks(
  engineSource: EngineSource,
  img: SpectrumImage,
  options: BayesOptions = {},
  ctl: RunControl = {},
): Promise<BayesResult> {
  const t0 = performance.now();
  const what = String(img.meta.source ?? 'input');
  const n = img.channels;
  const count = img.ny * img.nx;
  // The model wants an ascending axis: a descending one is reversed with every spectrum.
  const descending = n > 1 && img.energy[n - 1]! < img.energy[0]!;
  const axis = descending ? Float64Array.from(img.energy).reverse() : Float64Array.from(img.energy);
  let data: Float32Array = img.data;
  if (descending) {
    data = new Float32Array(img.data.length);
    for (let p = 0; p < count; p++) for (let c = 0; c < n; c++) data[p * n + c] = img.data[p * n + n - 1 - c]!;
  }
  const s = bayesSettings(options, axis, data, count, what);
  const engine = await resolveEngine(engineSource);
  const backend: RemcBackend = engine.gpu ? new GpuRemcBackend(engine.gpu) : new CpuRemcBackend();
  const chunk = engine.gpu ? chunkFor(s, n, engine.gpu.maxBindingBytes) : count;
  const run = await runRemc(backend, s, axis, data, count, chunk, {
    onProgress: ctl.onProgress ?? options.onProgress,
    signal: ctl.signal ?? options.signal,
  });
  return {
    maps: mapsOf(run.spectra, s, img),
    spectra: run.spectra,
    settings: s,
    axis,
    backend: backend.name,
    timing: { initMs: run.initMs, runMs: run.runMs, totalMs: performance.now() - t0 },
    warnings: run.warnings,
  };
}

function mapsOf(r: SpectrumResult[], s: BayesSettings, img: SpectrumImage): MapSet {
  const shape = [img.ny, img.nx];
  const count = r.length;
  const kmax = s.kmax;
  const unit = img.energyUnit === 'channel' ? '' : img.energyUnit;
  const maps: MapSet = {
    k_selected: {
      data: Float32Array.from(r, (v) => v.kSelected),
      shape,
      description: 'number of peaks with the largest p(K|D)',
    },
    noise: {
      data: Float32Array.from(r, (v) => v.noise),
      shape,
      description: 'noise sd minimising F(K) of the selected K',
    },
    free_energy: {
      data: Float32Array.from({ length: count * kmax }, (_, i) => r[Math.floor(i / kmax)]!.free[i % kmax]!),
      shape: [count, kmax],
      description: 'free energy F(K) = −log p(D|K) at the estimated noise, K = 1..kmax',
    },
    p_k: {
      data: Float32Array.from({ length: count * kmax }, (_, i) => r[Math.floor(i / kmax)]!.pK[i % kmax]!),
      shape: [count, kmax],
      description: `p(K|D) with prior p(K) ∝ ${s.kPrior}^K`,
    },
  };
  const most = Math.max(...r.map((v) => v.kSelected));
  for (let k = 0; k < most; k++)
    for (const p of PEAK_PARAMS)
      for (const stat of ['mean', 'sd'] as const)
        maps[`peak${k + 1}_${p}_${stat}`] = {
          data: Float32Array.from(r, (v) => v.peaks[k]?.[p][stat] ?? NaN),
          shape,
          unit: p === 'position' || p === 'fwhm' ? unit : '',
          description: `posterior ${stat} of peak ${k + 1}'s ${p} (peaks ordered by position)`,
        };
  if (s.background)
    for (const stat of ['mean', 'sd'] as const)
      maps[`background_${stat}`] = {
        data: Float32Array.from(r, (v) => v.background?.[stat] ?? NaN),
        shape,
        description: `posterior ${stat} of the constant background`,
      };
  return maps;
}
