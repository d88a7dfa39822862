// The backend's own arithmetic ceiling, measured through this engine: a kernel of independent
// FMA chains. Benchmarks print their kernels' GFLOP/s beside this figure.

import fmaPeak from '../../kernels/engine/fma_peak.wgsl';
import type { GpuEngine } from './gpu.js';

const ITERS = 2048;
const WG = 64;

export interface PeakResult {
  gflops: number;
  seconds: number;
}

/** Best of `repeats` timed runs of `invocations` FMA-chain threads. */
export async function measureFmaPeak(gpu: GpuEngine, invocations = 64 * 512, repeats = 3): Promise<PeakResult> {
  const kernel = gpu.kernel({ name: 'engine/fma_peak', code: fmaPeak, defines: { WG, PEAK_ITERS: ITERS } });
  const sink = gpu.storage(invocations * 4, 'fma-sink');
  const flops = invocations * ITERS * 4 * 4 * 2;
  gpu.submit([{ kernel, bindings: [sink], workgroups: invocations / WG }]); // warm-up (compiles)
  await gpu.idle();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    gpu.submit([{ kernel, bindings: [sink], workgroups: invocations / WG }]);
    await gpu.idle();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  gpu.release(sink);
  return { gflops: flops / best / 1e9, seconds: best };
}
