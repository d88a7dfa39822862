// The backend's own ceilings, measured through this engine: a kernel of independent FMA chains
// (arithmetic) and a kernel that only streams a buffer, one row per thread (reads). Benchmarks
// print their kernels' GFLOP/s beside the first and their passes over the data beside the second.

import fmaPeak from '../../kernels/engine/fma_peak.wgsl';
import loadPeak from '../../kernels/engine/load_peak.wgsl';
import { flags } from './flags.js';
import { grid } from './kernel.js';
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

export interface StreamResult {
  /** Bytes read per second. */
  bytesPerSecond: number;
  /** Seconds to read the buffer once (best of the repeats). */
  seconds: number;
}

/** Best of `repeats` timed passes reading `rows` rows of `rowVec4` vec4s (16 bytes each), one row per
 * thread: the least time any kernel needs to read a row-major matrix of that shape once. */
export async function measureStreamRead(
  gpu: GpuEngine,
  rows: number,
  rowVec4: number,
  repeats = 3,
): Promise<StreamResult> {
  const even = rowVec4 + (rowVec4 % 2);
  const kernel = gpu.kernel({ name: 'engine/load_peak', code: loadPeak, defines: { WG, ROW_VEC4: even } });
  const [x, y] = grid(Math.ceil(rows / WG), flags.maxWorkgroupsPerDimension);
  const wgs = x * y; // every row the 2-D grid covers has its own bytes
  const src = gpu.storage(wgs * WG * even * 16, 'stream-src');
  const sink = gpu.storage(wgs * WG * 16, 'stream-sink');
  const d = { kernel, bindings: [src, sink], workgroups: [x, y, 1] as [number, number, number] };
  try {
    gpu.submit([d]); // warm-up (compiles)
    await gpu.idle();
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      gpu.submit([d]);
      await gpu.idle();
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    return { bytesPerSecond: (wgs * WG * even * 16) / best, seconds: best };
  } finally {
    gpu.release(src, sink);
  }
}
