// Per-pixel peak fitting by spectrum-adapted EM: the public function. It validates the options
// and the data, seeds every pixel (user values or a multi-start fit of the mean spectrum), fits
// every pixel on the GPU when the engine has one (kernels/peaks/em_pixel.wgsl) or with the float64 CPU
// reference otherwise, and returns named maps.

import type { Engine, EngineSource } from '../../engine/index.js';
import type { MethodControl } from '../contract.js';
import { inelasticSideWarnings, missingFlatPartError } from './shirley-side.js';
import { tougaardScaleWarnings } from './tougaard-scale.js';
import { InputError, throwIfAborted } from '../../engine/index.js';
import type { SpectrumImage } from '../../data/types.js';
import { fitPixelsCpu } from './cpu.js';
import { fitPixelsGpu, flopsPerIteration } from './gpu.js';
import { peakPlacementWarnings } from './assign.js';
import { AUTO_RAMPS, chooseBackground, type BackgroundChoice } from './auto-background.js';
import { fitMeanSpectrum, meanSpectrum, userStart } from './init.js';
import { checkInput } from './input.js';
import { buildMaps } from './backend.js';
import { resolvePeaks, tougaardOf, type MeanSpectrumFit, type PeakFitOptions, type PeakFitResult } from './model.js';

/**
 * `engine` may be a function that opens one: it is called only once the options and the data have
 * passed their checks, so a command line refuses bad input before it starts (and logs) a GPU
 * adapter. The time it takes is not counted in `timing`. `warnings` name the background's doubts
 * about the data (Shirley/Tougaard side, Tougaard's C against the axis unit).
 */
export async function fitPeaks(
  engineOrOpen: EngineSource,
  image: SpectrumImage,
  options: PeakFitOptions,
  ctl: MethodControl = {},
): Promise<PeakFitResult> {
  let t0 = performance.now();
  const auto = options.background === 'auto';
  let m = resolvePeaks(auto ? { ...options, background: AUTO_RAMPS } : options, image.energy);
  const input = checkInput(image, m, options.pixelMask);
  const flatPart = Array.isArray(options.background) ? missingFlatPartError(image, options.background, ctl.name) : null;
  if (flatPart) throw new InputError(flatPart);
  throwIfAborted(ctl.signal);
  let mean: MeanSpectrumFit | null = null;
  let backgroundChoice: BackgroundChoice | undefined;
  if (auto || m.init === 'mean') {
    const spectrum = meanSpectrum(input.data, input.totals, image.channels);
    if (auto) {
      const used = input.totals.reduce((n, t) => n + (t > 0 ? 1 : 0), 0);
      const chosen = chooseBackground(options, image, spectrum, used);
      m = chosen.m;
      backgroundChoice = chosen.choice;
      mean = chosen.fit;
    } else mean = fitMeanSpectrum(m, image.energy, spectrum);
    if (m.init !== 'mean') mean = null;
  }
  const start = mean ? mean.params : userStart(m);
  let t1 = performance.now();
  let engine: Engine;
  if (typeof engineOrOpen === 'function') {
    engine = await engineOrOpen();
    const opening = performance.now() - t1;
    t0 += opening;
    t1 += opening;
  } else engine = engineOrOpen;
  const job = { m, energy: image.energy, data: input.data, totals: input.totals, start };
  const fits = engine.gpu ? await fitPixelsGpu(engine.gpu, job, ctl) : await fitPixelsCpu(job, ctl);
  const t2 = performance.now();
  const P = image.ny * image.nx;
  let converged = 0;
  let iterSum = 0;
  let iterMax = 0;
  for (let p = 0; p < P; p++) {
    if (input.totals[p] === 0) continue;
    converged += fits.converged[p]!;
    iterSum += fits.iterations[p]!;
    iterMax = Math.max(iterMax, fits.iterations[p]!);
  }
  const fitted = P - input.empty - input.masked;
  return {
    ...(tougaardOf(m) ? { spectra: input.data } : {}),
    ...(options.pixelMask
      ? { maskedPixels: Uint8Array.from({ length: P }, (_, p) => (options.pixelMask![p] ? 0 : 1)) }
      : {}),
    maps: buildMaps(m, fits, input.totals, image.ny, image.nx, image.energyUnit),
    ny: image.ny,
    nx: image.nx,
    energy: Float64Array.from(image.energy),
    mean,
    start,
    model: m,
    ...(backgroundChoice ? { backgroundChoice } : {}),
    backend: engine.gpu ? 'webgpu' : 'cpu',
    timing: { initMs: t1 - t0, runMs: t2 - t1, totalMs: performance.now() - t0 },
    warnings: [
      ...(mean ? peakPlacementWarnings(m, mean.params, image.energyUnit === 'channel' ? '' : image.energyUnit) : []),
      ...inelasticSideWarnings(image, m.background, ctl.name),
      ...tougaardScaleWarnings(image, m.background, options.tougaardC, ctl.name),
    ],
    summary: {
      pixels: P,
      converged,
      empty: input.empty,
      masked: input.masked,
      meanIterations: fitted ? iterSum / fitted : 0,
      maxIterations: iterMax,
    },
    flopsPerIteration: flopsPerIteration(m, image.channels),
  };
}

export { modelComponents, type ModelCurves } from './backend.js';
export { mo3dMap, MO3D_SPLIT, MO3D_RATIO, type Mo3dOptions, type Mo3dData } from '../../data/synth/mo3d.js';
export {
  resolvePeaks,
  PEAK_FIT_DEFAULTS,
  PEAK_OPTIONS,
  BACKGROUND_COMPONENTS,
  SHIRLEY_BACKGROUNDS,
  TOUGAARD_BACKGROUNDS,
  MAX_PEAKS,
  FWHM_PER_SIGMA,
  type PeakFitOptions,
  type PeakFitResult,
  type PeakSpec,
  type PeakLink,
  type PeakParams,
  type BackgroundComponent,
  type ShirleyBackground,
  type TougaardBackground,
  type MeanSpectrumFit,
  type SpectrumFit,
  type ResolvedPeaks,
  type GpuKernel,
} from './model.js';
