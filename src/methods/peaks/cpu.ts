// The CPU reference of per-pixel EM peak fitting: every pixel's EM in float64 (em.ts), one after
// another. It is the specification the GPU path is checked against, and the fallback backend.

import { throwIfAborted, type RunControl } from '../../engine/index.js';
import { fitSpectrum, makeAxis } from './em.js';
import { allocPixelFits, type PixelFits, type PixelJob } from './backend.js';

/** Fit every pixel from `start`. Yields to the event loop every ~50 ms so `signal` can abort. */
export async function fitPixelsCpu(job: PixelJob, ctl: RunControl = {}): Promise<PixelFits> {
  const { m, energy, data, totals, start } = job;
  const P = totals.length;
  const C = energy.length;
  const K = m.K;
  const nc = K + m.background.length;
  const axis = makeAxis(m, energy);
  const out = allocPixelFits(K, m.background.length, P);
  let last = performance.now();
  for (let p = 0; p < P; p++) {
    if (performance.now() - last > 50) {
      await new Promise((r) => setTimeout(r, 0));
      throwIfAborted(ctl.signal);
      ctl.onProgress?.({ done: p, total: P, stage: 'fit (cpu)' });
      last = performance.now();
    }
    if (totals[p] === 0) {
      for (let k = 0; k < K; k++) out.position[k * P + p] = out.sigma[k * P + p] = NaN;
      for (let j = 0; j < nc; j++) out.weight[j * P + p] = NaN;
      out.loglik[p] = NaN;
      out.iterations[p] = 0;
      out.converged[p] = 0;
      continue;
    }
    const fit = fitSpectrum(m, axis, data.subarray(p * C, (p + 1) * C), start);
    for (let k = 0; k < K; k++) {
      out.position[k * P + p] = fit.params.position[k]!;
      out.sigma[k * P + p] = fit.params.sigma[k]!;
    }
    for (let j = 0; j < nc; j++) out.weight[j * P + p] = fit.params.weight[j]!;
    out.loglik[p] = fit.loglik;
    out.iterations[p] = fit.iterations;
    out.converged[p] = fit.converged ? 1 : 0;
  }
  throwIfAborted(ctl.signal);
  ctl.onProgress?.({ done: P, total: P, stage: 'fit (cpu)' });
  return out;
}
