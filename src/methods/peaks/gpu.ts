// Per-pixel EM on the GPU through the engine: kernels/peaks/em_pixel.wgsl (one thread per pixel,
// the default) or em_workgroup.wgsl (one workgroup per pixel, tree reduction over channels).
// The energy axis is centred and scaled to [-1, 1] before upload (float32 keeps its relative
// precision there); pixels are chunked to fit the device; each chunk iterates in dispatches of
// flags.iterationsPerSubmit EM iterations until no pixel is running, reading back one counter
// per submit, then its final state.

import {
  flags,
  planChunks,
  runChunked,
  throwIfAborted,
  type GpuEngine,
  type Kernel,
  type RunControl,
} from '../../engine/index.js';
import { SHIRLEY_DROP_FACTOR } from './em.js';
import { backgroundDensity, channelWidths } from './components.js';
import { packModel, peaksLayout, STATUS, type PeaksLayout } from './layout.js';
import { allocPixelFits, type PixelFits, type PixelJob } from './backend.js';
import {
  isShirley,
  isTougaard,
  shirleyOf,
  tougaardOf,
  widthGroups,
  type BackgroundComponent,
  type ResolvedPeaks,
} from './model.js';

/** Most pixels per chunk on a software (CPU) backend, so that one dispatch stays near a second
 * and abort/progress stay responsive. Hardware backends take what fits the binding limit. */
const SOFTWARE_CHUNK_PIXELS = 2048;
const HARDWARE_CHUNK_PIXELS = 1 << 20;

/** Workgroup size of the workgroup-per-pixel kernel for C channels: a power of two, about 4+
 * channels per thread, 8..64. */
export function workgroupFor(channels: number): number {
  let wg = 8;
  while (wg < 64 && wg * 2 * 4 <= channels) wg *= 2;
  return wg;
}

/** FLOPs of one EM iteration of one pixel (exp, log and division count one each): the E-step per
 * channel, plus, for the workgroup kernel, the tree reduction of the 3K + B + 3 sums. With a
 * background (linear space, estep.wgsl LINEAR): 13 per peak (offset, scaled offset, square, half
 * and subtract, exp, sum, weight, 3 products and 3 sums), 5 per background component (its density
 * pi (a + b x) as one multiply-add, sum, weight and its sum as one multiply-add), and 14 for the
 * channel (its x, the clamp and log of the mixture, the log-likelihood, its change and its rounding
 * scale, counts / mixture). Without (log space): 15 per peak, 13 for the channel. An active Shirley
 * component adds 14 per peak (the step's Phi from the Gaussian factor the peak already has: |z| /
 * sqrt 2, 1 + p u, the division, five multiply-adds of the A&S polynomial, times the factor, the
 * half, the side's 1 - tail, its coefficient and the sum) and is counted as a background component
 * for its weight and sums. A Tougaard component adds 1 (its density times the lane's term) to its
 * 5; its density's ~3 C^2 FLOPs once per pixel (kernels/peaks/tougaard.wgsl) are not per iteration
 * and are left out, as is the M-step (O(K) per pixel). Every channel counts, with or without counts:
 * the E-step is branch-free. Lanes the vector types carry beyond K and B (PL, BL) are not counted. */
export function flopsPerIteration(m: ResolvedPeaks, channels: number): number {
  const K = m.K;
  const B = m.background.length;
  const reduction = m.gpuKernel === 'workgroup' ? (3 * K + B + 3) * (workgroupFor(channels) - 1) : 0;
  const step = (shirleyOf(m) ? 14 * K : 0) + (tougaardOf(m) ? 1 : 0);
  const perChannel = B > 0 ? 13 * K + 5 * B + 14 + step : 15 * K + 13;
  return channels * perChannel + reduction;
}

/** Bytes per pixel of the largest per-pixel binding, lm_prev (the counts take C floats): C floats, or
 * 2 C with a Tougaard component, whose density shares it (layout.wgsl). Chunks are planned by it. */
export function scratchBytesPerPixel(m: ResolvedPeaks, channels: number): number {
  return (tougaardOf(m) ? 2 : 1) * channels * 4;
}

function layoutOf(m: ResolvedPeaks): PeaksLayout {
  return peaksLayout(m.K, m.background.length, m.groupBase.length);
}

interface Scaling {
  centre: number;
  scale: number;
}

function scaling(m: ResolvedPeaks): Scaling {
  return { centre: (m.window.lo + m.window.hi) / 2, scale: (m.window.hi - m.window.lo) / 2 };
}

/** Largest distance of an axis value from its evenly spaced stand-in x_0 + n h, relative to the
 * half-window, for the kernel to compute the axis instead of loading it: 2^-22, a few float32
 * roundings of the scaled axis itself (which float32 stores to 2^-24 relative). */
const UNIFORM_AXIS_TOLERANCE = 2 ** -22;

/** The axis is evenly spaced: every x_n within UNIFORM_AXIS_TOLERANCE x (L/2) of x_0 + n h. */
export function isUniformAxis(energy: Float64Array): boolean {
  const C = energy.length;
  const span = energy[C - 1]! - energy[0]!;
  const h = span / (C - 1);
  const limit = UNIFORM_AXIS_TOLERANCE * Math.abs(span / 2);
  for (let n = 1; n < C - 1; n++) if (!(Math.abs(energy[n]! - energy[0]! - n * h) <= limit)) return false;
  return true;
}

/** The model buffer (layout.ts), in scaled units. */
function modelBuffer(m: ResolvedPeaks, energy: Float64Array, sc: Scaling): Float32Array {
  const G = m.groupBase.length;
  const R = new Array<number>(G).fill(0);
  m.group.forEach((g, k) => (R[g]! += m.ratio[k]!));
  const wg = widthGroups(m);
  const u = (v: number) => (v - sc.centre) / sc.scale;
  const C = energy.length;
  // Background densities on the scaled axis, f'(x') = scale f(centre + scale x'): linear in x'.
  // The Shirley lane's is 0: the kernel puts the step's term there itself (estep.wgsl SHIRLEY). The
  // Tougaard lane's is 1: the kernel multiplies the pixel's own density into it (estep.wgsl TOUGAARD).
  const density = (b: BackgroundComponent, x: number) =>
    isShirley(b) ? 0 : isTougaard(b) ? 1 : sc.scale * backgroundDensity(b, sc.centre + sc.scale * x, m.window);
  return packModel(layoutOf(m), {
    LO: [u(m.window.lo)],
    HI: [u(m.window.hi)],
    SLO: [m.sigmaBounds[0] / sc.scale],
    SHI: [m.sigmaBounds[1] / sc.scale],
    TOL: [m.tol],
    LOGSCALE: [Math.log(sc.scale)],
    MAXIT: [m.maxIterations],
    FLOOR: [m.llFloor],
    OFF: m.offset.map((o) => o / sc.scale),
    RFRAC: m.ratio.map((r, k) => r / R[m.group[k]!]!),
    GROUP: [...m.group],
    WGROUP: [...wg],
    FIXED: m.groupFixed.map((f) => (f ? 1 : 0)),
    BLO: m.groupBounds.map((b) => u(b[0])),
    BHI: m.groupBounds.map((b) => u(b[1])),
    X0: [u(energy[0]!)],
    XH: [(energy[C - 1]! - energy[0]!) / (C - 1) / sc.scale],
    BGA: m.background.map((b) => density(b, 0)),
    BGB: m.background.map((b) => density(b, 1) - density(b, 0)),
  });
}

/** Per channel AX = ceil((K + B) / 4) + 1 vec4s (layout.ts CV, AX; kernels/peaks/layout.wgsl `axis`): the
 * component lanes hold log f_b'(x_n) (scaled densities) for background components and 0 for
 * peaks, then (x'_n, w'_n, 0, 0), w' the scaled channel width (read by kernels/peaks/tougaard.wgsl). */
function axisBuffer(m: ResolvedPeaks, energy: Float64Array, sc: Scaling): Float32Array {
  const C = energy.length;
  const { CV, AX } = layoutOf(m);
  const stride = 4 * AX;
  const out = new Float32Array(C * stride);
  const width = channelWidths(energy);
  for (let n = 0; n < C; n++) {
    out[n * stride + 4 * CV] = (energy[n]! - sc.centre) / sc.scale;
    out[n * stride + 4 * CV + 1] = width[n]! / sc.scale;
    // (The Shirley and Tougaard lanes' stay 0: a model with either always takes the linear-space
    // E-step, which reads none of these.)
    m.background.forEach((b, j) => {
      if (!isShirley(b) && !isTougaard(b))
        out[n * stride + m.K + j] = Math.log(backgroundDensity(b, energy[n]!, m.window)) + Math.log(sc.scale);
    });
  }
  return out;
}

export async function fitPixelsGpu(gpu: GpuEngine, job: PixelJob, ctl: RunControl = {}): Promise<PixelFits> {
  const { m, energy, data, totals, start } = job;
  const P = totals.length;
  const C = energy.length;
  const K = m.K;
  const NB = m.background.length;
  const { state: S } = layoutOf(m);
  const sc = scaling(m);
  const kernel = emKernel(gpu, m, energy);
  const tougaard = tougaardKernel(gpu, m, energy, sc);
  const scratchPerPixel = scratchBytesPerPixel(m, C);
  const startState = new Float32Array(S.size);
  start.position.forEach((v, k) => (startState[S.at.POS! + k] = (v - sc.centre) / sc.scale));
  start.sigma.forEach((v, k) => (startState[S.at.SIG! + k] = v / sc.scale));
  start.weight.forEach((v, j) => (startState[S.at.W! + j] = v));

  const out = allocPixelFits(K, NB, P);
  const iters = Math.max(1, flags.iterationsPerSubmit);
  const maxDispatches = Math.ceil((m.maxIterations + 1) / iters);
  const maxItems = Math.min(m.maxChunkPixels, gpu.isSoftware ? SOFTWARE_CHUNK_PIXELS : HARDWARE_CHUNK_PIXELS);
  const perPixel = m.gpuKernel === 'pixel';
  const chunks = planChunks(P, scratchPerPixel, gpu.maxBindingBytes, maxItems);
  const zero = new Uint32Array(1);
  await gpu.scope(async (fit) => {
    const axis = fit.storage(axisBuffer(m, energy, sc), 'peaks-axis');
    const model = fit.storage(modelBuffer(m, energy, sc), 'peaks-model');
    await gpu.validated(`peaks/em_${m.gpuKernel}`, () =>
      runChunked(
        chunks,
        (c) => {
          const np = c.end - c.start;
          const state = new Float32Array(np * S.size);
          const active: number[] = [];
          for (let i = 0; i < np; i++) {
            state.set(startState, i * S.size);
            const total = totals[c.start + i]!;
            state[i * S.size + S.at.TOTAL!] = total;
            if (total === 0)
              state[i * S.size + S.at.STATUS!] = STATUS.empty; // not listed, never fitted
            else active.push(i);
          }
          const rows = data.subarray(c.start * C, c.end * C);
          return { counts: perPixel ? transpose(rows, np, C) : rows, state, active: Uint32Array.from(active) };
        },
        (prep, c) =>
          gpu.scope(async (chunk) => {
            const np = c.end - c.start;
            const bufs = {
              counts: chunk.storage(prep.counts, 'peaks-counts'),
              axis,
              model,
              state: chunk.storage(prep.state, 'peaks-state'),
              lm_prev: chunk.storage(np * scratchPerPixel, 'peaks-lm-prev'),
              running: chunk.storage(zero, 'peaks-running'),
            };
            // Ping-pong: each dispatch fits the pixels of one list and lists those still running in the other.
            let [live, next] = [
              chunk.storage(prep.active.length ? prep.active : zero, 'peaks-active'),
              chunk.storage(np * 4, 'peaks-active'),
            ];
            let count = prep.active.length;
            for (let d = 0; count > 0; d++) {
              if (d >= maxDispatches)
                throw new Error(
                  `peaks/em: ${count} pixels still running after maxIterations ${m.maxIterations} (kernel bug)`,
                );
              gpu.write(bufs.running, zero);
              const uniforms = { ctl: { npix: np, count, iters } };
              // The chunk's Tougaard densities, once, ahead of its first EM dispatch (which sees its writes).
              const template = tougaard && d === 0 ? [tougaardDispatch(tougaard, bufs, np)] : [];
              const groups = perPixel ? Math.ceil(count / kernel.workgroupSize) : count;
              gpu.submit([
                ...template,
                kernel.dispatch({ ...bufs, live_pixels: live, next_live: next }, uniforms, groups),
              ]);
              count = (await gpu.readU32(bufs.running, 1))[0]!;
              [live, next] = [next, live];
              throwIfAborted(ctl.signal);
              ctl.onProgress?.({ done: c.end - count, total: P, stage: 'fit' });
            }
            const st = await gpu.readF32(bufs.state, np * S.size);
            unpack(m, st, np, c.start, P, sc, out);
          }),
        { signal: ctl.signal, stage: 'fit' },
      ),
    );
  });
  return out;
}

/** Pixel-major [np][C] to channel-major [C][np] (the thread-per-pixel kernel's layout). */
function transpose(rows: Float32Array, np: number, C: number): Float32Array {
  const out = new Float32Array(np * C);
  for (let i = 0; i < np; i++) for (let n = 0, o = i * C; n < C; n++) out[n * np + i] = rows[o + n]!;
  return out;
}

function emKernel(gpu: GpuEngine, m: ResolvedPeaks, energy: Float64Array): Kernel {
  const K = m.K;
  const NB = m.background.length;
  const C = energy.length;
  const shirley = shirleyOf(m);
  const tougaard = tougaardOf(m);
  const common = {
    ...layoutOf(m).defines,
    C,
    K,
    NB: { u32: NB },
    G: m.groupBase.length,
    NW: m.sharedWidth ? 1 : m.groupBase.length,
    LINEAR: NB > 0,
    // Only with the linear-space E-step: the background-free (log-space) one keeps the loaded axis,
    // as before; with the computed one, one of ~20 random 5-8-peak background-free parity maps had a
    // pixel whose float32 EM hovered just above the stopping floor for all 2000 iterations.
    UNIFORM_X: NB > 0 && isUniformAxis(energy),
    // The active Shirley step (NB > 0 with it, so LINEAR holds); the constants are inert without it.
    SHIRLEY: shirley !== null,
    SH_B: { u32: shirley ? shirley.index : 0 },
    SH_SIGN: { f32: shirley ? shirley.sign : 1 },
    SHIRLEY_DROP: { f32: SHIRLEY_DROP_FACTOR },
    // The pixel's Tougaard density (NB > 0 with it, so LINEAR holds); inert without it.
    TOUGAARD: tougaard !== null,
    TG_B: { u32: tougaard ? tougaard.index : 0 },
  };
  const provide = { 'peaks/lanes': { code: lanesLib(K, NB) } };
  if (m.gpuKernel === 'pixel') return gpu.kernel({ name: 'peaks/em_pixel', provide, defines: common });
  const RED_WG = workgroupFor(C);
  return gpu.kernel({
    name: 'peaks/em_workgroup',
    provide,
    defines: { ...common, RED_WG, RED_LANES: 3 * K + NB + 3 },
  });
}

/** The lib peaks/lanes, generated: the E-step's lane types (kernels/peaks/estep.wgsl): PL for a
 * group of peaks, vec2f when K <= 2 (else vec4f, peaks 4-7 in a second group), BL for the background
 * components, vec2f when NB <= 2; with their helpers pl_max (largest lane), pl_from (group g of 8
 * values) and bl_from. A software backend pays every lane of a vector operation, so a 2-peak model
 * on 2 lanes does half the peak arithmetic of 4. */
function lanesLib(K: number, NB: number): string {
  const pw = K <= 2 ? 2 : 4;
  const bw = NB <= 2 ? 2 : 4;
  const lanes = (w: number, a: string, o: string) => Array.from({ length: w }, (_, i) => `${a}[${o}${i}u]`).join(', ');
  return [
    `alias PL = vec${pw}f;`,
    `alias BL = vec${bw}f;`,
    pw === 2
      ? 'fn pl_max(v: PL) -> f32 { return max(v.x, v.y); }'
      : 'fn pl_max(v: PL) -> f32 { return max(max(v.x, v.y), max(v.z, v.w)); }',
    `fn pl_from(a: array<f32, 8>, g: u32) -> PL { return PL(${lanes(pw, 'a', '4u * g + ')}); }`,
    `fn bl_from(a: array<f32, 4>) -> BL { return BL(${lanes(bw, 'a', '')}); }`,
  ].join('\n');
}

/** The kernel that writes every pixel's Tougaard density into the second half of lm_prev
 * (kernels/peaks/tougaard.wgsl), or null without a Tougaard component. */
function tougaardKernel(gpu: GpuEngine, m: ResolvedPeaks, energy: Float64Array, sc: Scaling): Kernel | null {
  const t = tougaardOf(m);
  if (!t) return null;
  const { CV, AX } = layoutOf(m);
  // Losses lie at higher x for 'tougaard': at lower channel indices of a descending axis.
  const lossBelow = t.sign > 0 === m.window.ascending;
  return gpu.kernel({
    name: 'peaks/tougaard',
    defines: {
      C: energy.length,
      AX,
      CV,
      CHANNEL_MAJOR: m.gpuKernel === 'pixel',
      LOSS_BELOW: lossBelow,
      INV_C: { f32: (sc.scale * sc.scale) / m.tougaardC },
    },
  });
}

/** The dispatch that writes the Tougaard densities of `np` pixels into the second half of lm_prev. */
function tougaardDispatch(
  kernel: Kernel,
  bufs: { counts: GPUBuffer; axis: GPUBuffer; lm_prev: GPUBuffer },
  np: number,
) {
  return kernel.dispatch(
    { counts: bufs.counts, axis: bufs.axis, out: bufs.lm_prev },
    { ctl: { npix: np, count: 0, iters: 0 } },
    Math.ceil(np / kernel.workgroupSize),
  );
}

/** Every pixel's Tougaard density (per energy unit, [P][C]) as the EM kernels compute and read it
 * (kernels/peaks/tougaard.wgsl in the layout of m.gpuKernel), in one chunk: for checks against the
 * float64 reference (components.ts tougaardTemplate). */
export async function tougaardDensitiesGpu(
  gpu: GpuEngine,
  m: ResolvedPeaks,
  energy: Float64Array,
  data: Float32Array,
): Promise<Float32Array> {
  const C = energy.length;
  const P = data.length / C;
  const sc = scaling(m);
  const kernel = tougaardKernel(gpu, m, energy, sc);
  if (!kernel) throw new Error('tougaardDensitiesGpu: the model has no Tougaard component');
  const perPixel = m.gpuKernel === 'pixel';
  const t = await gpu.scope(async (s) => {
    const bufs = {
      counts: s.storage(perPixel ? transpose(data, P, C) : data, 'peaks-counts'),
      axis: s.storage(axisBuffer(m, energy, sc), 'peaks-axis'),
      lm_prev: s.storage(P * scratchBytesPerPixel(m, C), 'peaks-lm-prev'),
    };
    await gpu.validated('peaks/tougaard', async () => gpu.submit([tougaardDispatch(kernel, bufs, P)]));
    return gpu.readF32(bufs.lm_prev, P * C, P * C);
  });
  const out = new Float32Array(P * C);
  for (let p = 0; p < P; p++)
    for (let n = 0; n < C; n++) out[p * C + n] = t[perPixel ? n * P + p : p * C + n]! / sc.scale;
  return out;
}

/** Kernel state (scaled units) of pixels start..start+np into the per-pixel results (energy units). */
function unpack(
  m: ResolvedPeaks,
  st: Float32Array,
  np: number,
  start: number,
  P: number,
  sc: Scaling,
  out: PixelFits,
): void {
  const K = m.K;
  const NC = K + m.background.length;
  const { size, at } = layoutOf(m).state;
  for (let i = 0; i < np; i++) {
    const o = i * size;
    const p = start + i;
    const status = st[o + at.STATUS!]!;
    const empty = status === STATUS.empty;
    for (let k = 0; k < K; k++) {
      out.position[k * P + p] = empty ? NaN : st[o + at.POS! + k]! * sc.scale + sc.centre;
      out.sigma[k * P + p] = empty ? NaN : st[o + at.SIG! + k]! * sc.scale;
    }
    for (let j = 0; j < NC; j++) out.weight[j * P + p] = empty ? NaN : st[o + at.W! + j]!;
    out.loglik[p] = empty ? NaN : st[o + at.LL!]!;
    out.iterations[p] = empty ? 0 : st[o + at.IT!]!;
    out.converged[p] = status === STATUS.converged ? 1 : 0;
  }
}
