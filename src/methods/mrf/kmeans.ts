// k-means for the initial labels: k-means++ seeding (Arthur & Vassilvitskii 2007) on the host
// from Philox stream (seed, 1), then Lloyd iterations on the backend (assignment and class sums
// run on the GPU with the WebGPU backend). Stops when the inertia changes by less than
// `tol` relative, or after `maxIter` iterations. kmeansStart makes the Potts chain's start from
// it: the lowest-inertia of R restarts, optionally on 3×3-smoothed features.
import { InputError, throwIfAborted } from '../../engine/errors.js';
import type { Engine } from '../../engine/index.js';
import { PhiloxStream } from '../../random/stream.js';
import type { MrfBackend } from './backend.js';
import type { Lattice } from './lattice.js';
import { MAX_CLASSES, validateFeatures, type PixelFeatures } from './model.js';
import { paramsFromStats, type ClassParams } from './params.js';
import { GIBBS_STREAM, makeBackend } from './select.js';

export const KMEANS_STREAM = 1;
/** Restart r >= 1 of the k-means start seeds from Philox stream KMEANS_RESTART_STREAM + r (restart 0: KMEANS_STREAM). */
export const KMEANS_RESTART_STREAM = 0x6b6d0000;

/** Philox stream of k-means++ restart `restart` (0: the single-start stream, so one restart is plain k-means). */
export function restartStream(restart: number): number {
  return restart === 0 ? KMEANS_STREAM : KMEANS_RESTART_STREAM + restart;
}

/**
 * K initial centres [K·D] by D^2 sampling; the first is a uniformly drawn pixel. With `valid`
 * (0 = left out by a pixel mask) only the selected pixels are drawn and measured, in the same
 * order: without a mask the draws are those of every pixel.
 */
export function kmeansPlusPlus(
  x: PixelFeatures,
  k: number,
  seed: number,
  valid: Uint8Array | null = null,
  stream = KMEANS_STREAM,
): Float64Array {
  const d = x.channels;
  const npix = x.ny * x.nx;
  const pixels = valid ? Uint32Array.from({ length: npix }, (_, p) => p).filter((p) => valid[p]) : null;
  const n = pixels ? pixels.length : npix;
  const at = (i: number) => (pixels ? pixels[i]! : i);
  const rng = new PhiloxStream(seed, stream);
  const centres = new Float64Array(k * d);
  const dist = new Float64Array(n).fill(Infinity);
  let pick = at(rng.int(n));
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) centres[c * d + j] = x.data[pick * d + j]!;
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = at(i);
      let r2 = 0;
      for (let j = 0; j < d; j++) r2 += (x.data[p * d + j]! - centres[c * d + j]!) ** 2;
      if (r2 < dist[i]!) dist[i] = r2;
      total += dist[i]!;
    }
    if (total === 0) {
      pick = at(rng.int(n)); // all pixels coincide with a centre: any pixel will do
      continue;
    }
    const target = rng.uniformDouble() * total;
    let acc = 0;
    pick = at(n - 1);
    for (let i = 0; i < n; i++) {
      acc += dist[i]!;
      if (acc > target) {
        pick = at(i);
        break;
      }
    }
  }
  return centres;
}

export interface KmeansOutcome extends ClassParams {
  iterations: number;
  /** Σ ||y - centre||^2 of the final assignment. */
  inertia: number;
}

/** Lloyd iterations on `backend` (made with the same `valid`) from k-means++ centres drawn from
 *  Philox stream (seed, `stream`); leaves the final assignment in the backend's labels. */
export async function lloyd(
  backend: MrfBackend,
  x: PixelFeatures,
  k: number,
  seed: number,
  maxIter: number,
  varFloor: number,
  tol = 1e-6,
  signal?: AbortSignal,
  valid: Uint8Array | null = null,
  stream = KMEANS_STREAM,
): Promise<KmeansOutcome> {
  let centres = kmeansPlusPlus(x, k, seed, valid, stream);
  let prev = Infinity;
  let it = 0;
  for (;;) {
    throwIfAborted(signal);
    it++;
    backend.assignNearest(centres);
    const stats = await backend.stats(centres, true);
    const p = paramsFromStats(stats, centres, null, k, x.channels, varFloor);
    const inertia = p.inertiaAroundCentres;
    centres = p.means;
    if (it >= maxIter || prev - inertia <= tol * inertia) return { ...p, iterations: it, inertia };
    prev = inertia;
  }
}

export interface KmeansResult {
  /** Cluster of each pixel [ny·nx]. */
  labels: Uint32Array;
  /** Cluster centres [K·D]. */
  means: Float64Array;
  inertia: number;
  iterations: number;
}

/** k-means (k-means++ seeding, Lloyd iterations on the GPU when the engine has one). */
export async function kmeans(
  engine: Engine | null,
  x: PixelFeatures,
  o: { k: number; seed?: number; maxIter?: number; tol?: number; signal?: AbortSignal },
): Promise<KmeansResult> {
  validateFeatures(x);
  const npix = x.ny * x.nx;
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > Math.min(npix, MAX_CLASSES))
    throw new InputError(
      `kmeans: k must be an integer in [1, ${Math.min(npix, MAX_CLASSES)}] for ${npix} pixels, got ${o.k}`,
    );
  const seed = o.seed ?? 1;
  // Lloyd iterations only: no log-likelihood table or label counts (nor their binding check).
  const backend = makeBackend(
    engine,
    x,
    o.k,
    { ny: x.ny, nx: x.nx, neighbours: 4, periodic: false },
    seed,
    GIBBS_STREAM,
    null,
    'kmeans',
  );
  try {
    // The variances are not part of the result, so no variance floor (it would cost a pass over the data).
    const r = await lloyd(backend, x, o.k, seed, o.maxIter ?? 300, 0, o.tol ?? 1e-6, o.signal);
    return { labels: await backend.labels(), means: r.means, inertia: r.inertia, iterations: r.iterations };
  } finally {
    backend.dispose();
  }
}

/**
 * Each selected pixel's features averaged over the selected pixels of its 3×3 neighbourhood
 * (itself included; float64 sums), for the k-means start only. Pixels `valid` leaves out get 0
 * and are never read.
 */
export function smoothFeatures(x: PixelFeatures, valid: Uint8Array | null): PixelFeatures {
  const { ny, nx, channels: d } = x;
  const out = new Float32Array(x.data.length);
  const acc = new Float64Array(d);
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const p = i * nx + j;
      if (valid && !valid[p]) continue;
      acc.fill(0);
      let n = 0;
      for (let a = Math.max(0, i - 1); a <= Math.min(ny - 1, i + 1); a++) {
        for (let b = Math.max(0, j - 1); b <= Math.min(nx - 1, j + 1); b++) {
          const q = a * nx + b;
          if (valid && !valid[q]) continue;
          n++;
          for (let c = 0, o = q * d; c < d; c++) acc[c]! += x.data[o + c]!;
        }
      }
      for (let c = 0; c < d; c++) out[p * d + c] = acc[c]! / n;
    }
  }
  return { data: out, ny, nx, channels: d };
}

export interface StartOptions {
  /** k-means++ restarts; the one of lowest inertia is kept (restart r seeds from restartStream(r)). */
  restarts: number;
  /** Cluster the 3×3-smoothed features (smoothFeatures) instead of the features themselves. */
  smoothed: boolean;
  maxIter: number;
  varFloor: number;
  signal?: AbortSignal;
  valid: Uint8Array | null;
}

/**
 * The labels the Potts chain starts from: the lowest-inertia of `restarts` k-means runs, on the
 * features or (o.smoothed) on their 3×3 smoothing. Leaves those labels in `backend` (made over
 * `x` for the MRF) and returns the class means and variances of those labels on `x` itself;
 * `iterations` is the kept run's Lloyd iterations and `inertia` its inertia (on the smoothed
 * features when smoothed).
 */
export async function kmeansStart(
  engine: Engine | null,
  backend: MrfBackend,
  x: PixelFeatures,
  k: number,
  lat: Lattice,
  seed: number,
  o: StartOptions,
): Promise<KmeansOutcome> {
  const xs = o.smoothed ? smoothFeatures(x, o.valid) : x;
  const own = o.smoothed ? makeBackend(engine, xs, k, lat, seed, GIBBS_STREAM, o.valid, 'kmeans') : backend;
  try {
    let best: KmeansOutcome | null = null;
    let bestLabels: Uint32Array | null = null;
    let bestIsLast = false;
    for (let r = 0; r < o.restarts; r++) {
      const run = await lloyd(own, xs, k, seed, o.maxIter, o.varFloor, 1e-6, o.signal, o.valid, restartStream(r));
      bestIsLast = best === null || run.inertia < best.inertia;
      if (!bestIsLast) continue;
      best = run;
      // The labels are read back only when another restart or the other backend needs them.
      bestLabels = r < o.restarts - 1 || own !== backend ? await own.labels() : null;
    }
    if (own === backend) {
      // Lloyd's means and variances are those of its final labels on x: restore the kept run's labels.
      if (!bestIsLast) backend.setLabels(bestLabels!);
      return best!;
    }
    backend.setLabels(bestLabels!);
    const p = paramsFromStats(await backend.stats(best!.means, true), best!.means, null, k, x.channels, o.varFloor);
    return { ...p, iterations: best!.iterations, inertia: best!.inertia };
  } finally {
    if (own !== backend) own.dispose();
  }
}
