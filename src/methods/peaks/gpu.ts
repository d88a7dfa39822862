// Per-pixel EM on the GPU: kernels/peaks/em.wgsl through the engine. The energy axis is centred
// and scaled to [-1, 1] before upload (float32 keeps its relative precision there), pixels are
// chunked to fit the device, each chunk iterates in dispatches of flags.iterationsPerSubmit EM
// iterations until no pixel is running, reading back one counter per submit.

import indexLib from '../../../kernels/lib/index.wgsl';
import reduceLib from '../../../kernels/lib/reduce.wgsl';
import windowLib from '../../../kernels/peaks/window.wgsl';
import emSrc from '../../../kernels/peaks/em.wgsl';
import { flags, planChunks, runChunked, throwIfAborted, type GpuEngine, type RunControl } from '../../engine/index.js';
import { backgroundDensity } from './lineshapes.js';
import { allocPixelFits, type PixelFits, type PixelJob } from './maps.js';
import { widthGroups, type ResolvedModel } from './model.js';


/** Most pixels per chunk on a software (CPU) backend: keeps one dispatch under ~1 s so abort and
 * progress stay responsive. Hardware backends take what fits the binding limit. */
const SOFTWARE_CHUNK_PIXELS = 16384;
const HARDWARE_CHUNK_PIXELS = 1 << 20;

/** Workgroup size for C channels: a power of two with about 4+ channels per thread, 8..64. */
export function workgroupFor(channels: number): number {
  let wg = 8;
  while (wg < 64 && wg * 2 * 4 <= channels) wg *= 2;
  return wg;
}

/** FLOPs of one EM iteration of one pixel (exp, log and division count one each): the E-step per
 * channel with counts (15 per peak, 7 per background component, 13 for the log-likelihood, its change and its rounding scale)
 * plus the workgroup tree reduction of the 3K + B + 3 sums. The M-step (O(K), thread 0) is left out. */
export function flopsPerIteration(m: ResolvedModel, channels: number): number {
  const K = m.K;
  const B = m.background.length;
  return channels * (15 * K + 7 * B + 13) + (3 * K + B + 3) * (workgroupFor(channels) - 1);
}

/** Floats of per-pixel state: positions, sigmas, weights, log-likelihood, iterations, status. */
function stateSize(m: ResolvedModel): number {
  return 3 * m.K + m.background.length + 3;
}

interface Scaling {
  centre: number;
  scale: number;
}

function scaling(m: ResolvedModel): Scaling {
  return { centre: (m.window.lo + m.window.hi) / 2, scale: (m.window.hi - m.window.lo) / 2 };
}

/** The model buffer (layout: kernels/peaks/em.wgsl M_*), in scaled units. */
function modelBuffer(m: ResolvedModel, sc: Scaling): Float32Array {
  const G = m.groupBase.length;
  const R = new Array<number>(G).fill(0);
  m.group.forEach((g, k) => (R[g]! += m.ratio[k]!));
  const wg = widthGroups(m);
  const u = (v: number) => (v - sc.centre) / sc.scale;
  return Float32Array.from([
    u(m.window.lo),
    u(m.window.hi),
    m.sigmaBounds[0] / sc.scale,
    m.sigmaBounds[1] / sc.scale,
    m.tol,
    Math.log(sc.scale),
    m.maxIterations,
    m.llFloor,
    ...m.offset.map((o) => o / sc.scale),
    ...m.ratio.map((r, k) => r / R[m.group[k]!]!),
    ...m.group,
    ...wg,
    ...m.groupFixed.map((f) => (f ? 1 : 0)),
    ...m.groupBounds.map((b) => u(b[0])),
    ...m.groupBounds.map((b) => u(b[1])),
  ]);
}

/** x' per channel, then log f_b'(x_n) (scaled densities) per background component. */
function axisBuffer(m: ResolvedModel, energy: Float64Array, sc: Scaling): Float32Array {
  const C = energy.length;
  const out = new Float32Array(C * (1 + m.background.length));
  for (let n = 0; n < C; n++) out[n] = (energy[n]! - sc.centre) / sc.scale;
  m.background.forEach((b, j) => {
    for (let n = 0; n < C; n++) out[C * (1 + j) + n] = Math.log(backgroundDensity(b, energy[n]!, m.window)) + Math.log(sc.scale);
  });
  return out;
}

export async function fitPixelsGpu(gpu: GpuEngine, job: PixelJob, ctl: RunControl = {}): Promise<PixelFits> {
  const { m, energy, data, totals, start } = job;
  const P = totals.length;
  const C = energy.length;
  const K = m.K;
  const NB = m.background.length;
  const S = stateSize(m);
  const sc = scaling(m);
  const WG = workgroupFor(C);
  const kernel = gpu.kernel({
    name: 'peaks/em',
    code: emSrc,
    libs: [
      { name: 'lib/index', code: indexLib },
      { name: 'lib/reduce', code: reduceLib },
      { name: 'peaks/window', code: windowLib },
    ],
    defines: {
      WG,
      RED_WG: WG,
      CPT: Math.ceil(C / WG),
      C,
      K,
      NB: { u32: NB },
      NBA: Math.max(NB, 1),
      G: m.groupBase.length,
      NW: m.sharedWidth ? 1 : m.groupBase.length,
      RED_LANES: 3 * K + NB + 3,
    },
  });
  const startState = new Float32Array(S);
  start.position.forEach((v, k) => (startState[k] = (v - sc.centre) / sc.scale));
  start.sigma.forEach((v, k) => (startState[K + k] = v / sc.scale));
  start.weight.forEach((v, j) => (startState[2 * K + j] = v));

  const out = allocPixelFits(K, NB, P);
  const iters = Math.max(1, flags.iterationsPerSubmit);
  const maxDispatches = Math.ceil((m.maxIterations + 1) / iters);
  const maxItems = Math.min(m.maxChunkPixels, gpu.isSoftware ? SOFTWARE_CHUNK_PIXELS : HARDWARE_CHUNK_PIXELS);
  const chunks = planChunks(P, C * 4, gpu.maxBindingBytes, maxItems);
  const axisBuf = gpu.storage(axisBuffer(m, energy, sc), 'peaks-axis');
  const modelBuf = gpu.storage(modelBuffer(m, sc), 'peaks-model');
  const zero = new Uint32Array(1);
  try {
    await gpu.validated('peaks/em', () =>
      runChunked(
        chunks,
        (c) => {
          const np = c.end - c.start;
          const state = new Float32Array(np * S);
          const tot = new Float32Array(np);
          for (let i = 0; i < np; i++) {
            state.set(startState, i * S);
            tot[i] = totals[c.start + i]!;
            if (tot[i] === 0) state[i * S + S - 1] = 3; // empty: the kernel skips it
          }
          return { counts: data.subarray(c.start * C, c.end * C), state, tot };
        },
        async (prep, c) => {
          const np = c.end - c.start;
          const bufs = {
            counts: gpu.storage(prep.counts, 'peaks-counts'),
            totals: gpu.storage(prep.tot, 'peaks-totals'),
            state: gpu.storage(prep.state, 'peaks-state'),
            active: gpu.storage(zero, 'peaks-active'),
            ctl: gpu.uniform(new Uint32Array([np, iters, 0, 0]), 'peaks-ctl'),
          };
          try {
            const dispatch = { kernel, bindings: [bufs.counts, axisBuf, modelBuf, bufs.totals, bufs.state, bufs.active, bufs.ctl], workgroups: np };
            for (let d = 0; ; d++) {
              gpu.write(bufs.active, zero);
              gpu.submit([dispatch]);
              const running = (await gpu.readU32(bufs.active, 1))[0]!;
              throwIfAborted(ctl.signal);
              ctl.onProgress?.({ done: c.start + np - running, total: P, stage: 'fit' });
              if (running === 0) break;
              if (d + 1 >= maxDispatches) throw new Error(`peaks/em: ${running} pixels still running after maxIterations ${m.maxIterations} (kernel bug)`);
            }
            const st = await gpu.readF32(bufs.state, np * S);
            unpack(m, st, np, c.start, P, sc, out);
          } finally {
            gpu.release(bufs.counts, bufs.totals, bufs.state, bufs.active, bufs.ctl);
          }
        },
        { signal: ctl.signal, stage: 'fit' },
      ),
    );
  } finally {
    gpu.release(axisBuf, modelBuf);
  }
  return out;
}

/** Kernel state (scaled units) of pixels start..start+np into the per-pixel results (energy units). */
function unpack(m: ResolvedModel, st: Float32Array, np: number, start: number, P: number, sc: Scaling, out: PixelFits): void {
  const K = m.K;
  const NC = K + m.background.length;
  const S = stateSize(m);
  for (let i = 0; i < np; i++) {
    const o = i * S;
    const p = start + i;
    const status = st[o + S - 1]!;
    const empty = status === 3;
    for (let k = 0; k < K; k++) {
      out.position[k * P + p] = empty ? NaN : st[o + k]! * sc.scale + sc.centre;
      out.sigma[k * P + p] = empty ? NaN : st[o + K + k]! * sc.scale;
    }
    for (let j = 0; j < NC; j++) out.weight[j * P + p] = empty ? NaN : st[o + 2 * K + j]!;
    out.loglik[p] = empty ? NaN : st[o + 3 * K + m.background.length]!;
    out.iterations[p] = empty ? 0 : st[o + S - 2]!;
    out.converged[p] = status === 1 ? 1 : 0;
  }
}
