// The Potts-MRF segmentation driver: k-means start (kmeansStart: by default the best of 8
// k-means++ restarts on 3×3-smoothed features), stochastic EM burn-in (class
// parameters and optionally beta re-estimated every `emEvery` sweeps), sampling at fixed
// parameters for posterior label probabilities, then simulated annealing to a MAP label map.
// The same driver runs on either backend; only the backend decides CPU or WebGPU.
import { throwIfAborted } from '../../engine/errors.js';
import { flags } from '../../engine/flags.js';
import { resolveEngine, type EngineSource, type RunControl } from '../../engine/index.js';
import { NO_ANNEAL, NO_COUNTS, type SweepPlan } from './backend.js';
import { estimateBeta } from './beta.js';
import { kmeansStart } from './kmeans.js';
import type { Lattice } from './lattice.js';
import { MASKED_LABEL, resolveMrf, type MrfOptions, type MrfResult, type PixelFeatures } from './model.js';
import { logPosterior, meanChannelVariance, paramsFromStats } from './params.js';
import { GIBBS_STREAM, makeBackend } from './select.js';

/** Sweeps between log-posterior points in the sampling and annealing phases. */
const TRACE_EVERY = 100;
/** Variances are floored at this fraction of the data's mean per-channel variance. */
export const VAR_FLOOR = 1e-6;

/** Backend labels (K at masked pixels) as result labels (MASKED_LABEL there). */
function resultLabels(z: Uint32Array, k: number): Int32Array {
  return Int32Array.from(z, (c) => (c < k ? c : MASKED_LABEL));
}

/**
 * Segment a spectrum image (or any per-pixel features) into K classes with a Potts-MRF prior.
 * A CPU engine runs the float64 reference. Pixels `options.pixelMask` leaves
 * out take no part (model.ts MrfOptions.pixelMask).
 */
export async function segmentMrf(
  engineSource: EngineSource,
  x: PixelFeatures,
  options: MrfOptions,
  ctl: RunControl = {},
): Promise<MrfResult> {
  let t0 = performance.now();
  const { valid, selected, ...o } = resolveMrf(x, options);
  // Opened only once the options and data passed their checks; the opening is not timed.
  const tOpen = performance.now();
  const engine = await resolveEngine(engineSource);
  t0 += performance.now() - tOpen;
  const { k } = o;
  const d = x.channels;
  const npix = x.ny * x.nx;
  const lat: Lattice = { ny: x.ny, nx: x.nx, neighbours: o.neighbours, periodic: false };
  const varFloor = Math.max(VAR_FLOOR * meanChannelVariance(x.data, npix, d, valid), 1e-30);
  const backend = makeBackend(engine, x, k, lat, o.seed, GIBBS_STREAM, valid);
  const total = o.burnIn + o.samples + o.anneal;
  const progress = (done: number, stage: string) => ctl.onProgress?.({ done, total, stage });
  try {
    const km = await kmeansStart(engine, backend, x, k, lat, o.seed, {
      restarts: o.kmeansRestarts,
      smoothed: o.init === 'kmeans-smoothed',
      maxIter: o.kmeansIterations,
      varFloor,
      signal: ctl.signal,
      valid,
    });
    const kmeansLabels = resultLabels(await backend.labels(), k);
    const t1 = performance.now();
    let { means, variances } = km;
    let beta = o.beta === 'estimate' ? o.betaInit : o.beta;
    const betaTrace: number[] = [beta];
    const logPosteriorTrace: number[] = [];
    const plan = (from: number, count: number, extra: Partial<SweepPlan> = {}): SweepPlan => ({
      from,
      count,
      beta,
      countFrom: NO_COUNTS,
      ...NO_ANNEAL,
      ...extra,
    });

    // Stochastic EM burn-in.
    let s = 0;
    while (s < o.burnIn) {
      throwIfAborted(ctl.signal);
      const n = Math.min(o.emEvery, o.burnIn - s);
      backend.setClassParams(means, variances);
      backend.sweeps(plan(s, n));
      s += n;
      const stats = await backend.stats(means);
      logPosteriorTrace.push(logPosterior(stats, k, d, beta));
      ({ means, variances } = paramsFromStats(stats, means, variances, k, d, varFloor));
      if (o.beta === 'estimate') {
        beta = estimateBeta(await backend.labels(), k, lat, beta);
        betaTrace.push(beta);
      }
      progress(s, 'stochastic EM');
    }

    // Sweeps at fixed parameters go flags.iterationsPerSubmit to a submit; a log-posterior point
    // (class statistics: a GPU pass over the data and a readback) every TRACE_EVERY sweeps and at
    // the end of the phase.
    const block = async (end: number, extra: Partial<SweepPlan>, stage: string) => {
      const start = s;
      while (s < end) {
        throwIfAborted(ctl.signal);
        const n = Math.min(flags.iterationsPerSubmit, end - s);
        backend.sweeps(plan(s, n, extra));
        s += n;
        if (s === end || Math.floor((s - start) / TRACE_EVERY) > Math.floor((s - n - start) / TRACE_EVERY)) {
          logPosteriorTrace.push(logPosterior(await backend.stats(means), k, d, beta));
          progress(s, stage);
        }
      }
    };

    // Sampling at fixed parameters: label counts give the posterior probabilities.
    backend.setClassParams(means, variances);
    backend.resetCounts();
    const countFrom = s;
    await block(countFrom + o.samples, { countFrom }, 'sampling');
    const counts = await backend.counts();

    // Simulated annealing from T = 1 to tMin, geometric, to a MAP label map.
    const annealStart = s;
    const decay = o.anneal > 0 ? -Math.log(o.tMin) / o.anneal : 0;
    await block(annealStart + o.anneal, { annealStart, decay, tMin: o.tMin }, 'annealing');

    const labels = resultLabels(await backend.labels(), k);
    const final = paramsFromStats(await backend.stats(means), means, variances, k, d, varFloor);
    const probabilities = new Float32Array(npix * k);
    const confidence = new Float32Array(npix);
    for (let p = 0; p < npix; p++) {
      if (valid && !valid[p]) {
        probabilities.fill(NaN, p * k, (p + 1) * k);
        confidence[p] = NaN;
        continue;
      }
      let best = 0;
      for (let c = 0; c < k; c++) {
        const q = counts[p * k + c]! / o.samples;
        probabilities[p * k + c] = q;
        best = Math.max(best, q);
      }
      confidence[p] = best;
    }
    return {
      labels,
      confidence,
      probabilities,
      means: final.means,
      variances: final.variances,
      classSizes: final.sizes,
      masked: npix - selected,
      betaTrace,
      logPosteriorTrace,
      kmeansLabels,
      kmeansIterations: km.iterations,
      ny: x.ny,
      nx: x.nx,
      k,
      channels: d,
      sweeps: s,
      labelUpdates: s * selected,
      backend: engine.gpu ? 'webgpu' : 'cpu',
      options: o,
      timing: { initMs: t1 - t0, runMs: performance.now() - t1, totalMs: performance.now() - t0 },
      warnings: [],
    };
  } finally {
    backend.dispose();
  }
}
