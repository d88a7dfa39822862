// The backend's own ceilings, measured through this engine: a kernel of independent FMA chains
// (arithmetic) and a kernel that only streams a buffer, one row per thread (reads). Benchmarks
// print their kernels' GFLOP/s beside the first and their passes over the data beside the second.

import { flags } from './flags.js';
import { grid } from './kernel.js';
import type { Dispatch, GpuEngine } from './gpu.js';

const ITERS = 2048;

export interface PeakResult {
  gflops: number;
  seconds: number;
}

/** Best of `repeats` timed runs of `invocations` FMA-chain threads. */
export async function measureFmaPeak(gpu: GpuEngine, invocations = 64 * 512, repeats = 3): Promise<PeakResult> {
  const kernel = gpu.kernel({ name: 'engine/fma_peak', defines: { PEAK_ITERS: ITERS } });
  const flops = invocations * ITERS * 4 * 4 * 2;
  const best = await gpu.scope(async (s) => {
    const d = kernel.dispatch({ sink: s.storage(invocations * 4, 'fma-sink') }, {}, invocations / kernel.workgroupSize);
    return bestOf(gpu, d, repeats);
  });
  return { gflops: flops / best / 1e9, seconds: best };
}

/** Seconds of the fastest of `repeats` timed submits of `d`, after one untimed (it compiles). */
async function bestOf(gpu: GpuEngine, d: Dispatch, repeats: number): Promise<number> {
  gpu.submit([d]);
  await gpu.idle();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    gpu.submit([d]);
    await gpu.idle();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
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
  const kernel = gpu.kernel({ name: 'engine/load_peak', defines: { ROW_VEC4: even } });
  const WG = kernel.workgroupSize;
  const [x, y] = grid(Math.ceil(rows / WG), flags.maxWorkgroupsPerDimension);
  const wgs = x * y; // every row the 2-D grid covers has its own bytes
  const best = await gpu.scope((s) => {
    const src = s.storage(wgs * WG * even * 16, 'stream-src');
    const sink = s.storage(wgs * WG * 16, 'stream-sink');
    return bestOf(gpu, kernel.dispatch({ src, sink }, {}, [x, y, 1]), repeats);
  });
  return { bytesPerSecond: (wgs * WG * even * 16) / best, seconds: best };
}
