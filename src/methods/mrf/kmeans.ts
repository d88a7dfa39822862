// k-means for the initial labels: k-means++ seeding (Arthur & Vassilvitskii 2007) on the host
// from Philox stream (seed, 1), then Lloyd iterations on the backend (assignment and class sums
// run on the GPU with the WebGPU backend). Stops when the inertia changes by less than
// `tol` relative, or after `maxIter` iterations.
import { InputError, throwIfAborted } from '../../engine/errors.js';
import type { Engine } from '../../engine/index.js';
import { PhiloxStream } from '../../random/stream.js';
import type { MrfBackend } from './backend.js';
import { MAX_CLASSES, validateFeatures, type PixelFeatures } from './model.js';
import { paramsFromStats, type ClassParams } from './params.js';
import { GIBBS_STREAM, makeBackend } from './select.js';

export const KMEANS_STREAM = 1;

/**
 * K initial centres [K·D] by D^2 sampling; the first is a uniformly drawn pixel. With `valid`
 * (0 = left out by a pixel mask) only the selected pixels are drawn and measured, in the same
 * order: without a mask the draws are those of every pixel.
 */
export function kmeansPlusPlus(x: PixelFeatures, k: number, seed: number, valid: Uint8Array | null = null): Float64Array {
  const d = x.channels;
  const npix = x.ny * x.nx;
  const pixels = valid ? Uint32Array.from({ length: npix }, (_, p) => p).filter((p) => valid[p]) : null;
  const n = pixels ? pixels.length : npix;
  const at = (i: number) => (pixels ? pixels[i]! : i);
  const rng = new PhiloxStream(seed, KMEANS_STREAM);
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

/** Lloyd iterations on `backend` (made with the same `valid`); leaves the final assignment in the backend's labels. */
export async function lloyd(backend: MrfBackend, x: PixelFeatures, k: number, seed: number, maxIter: number, varFloor: number, tol = 1e-6, signal?: AbortSignal, valid: Uint8Array | null = null): Promise<KmeansOutcome> {
  let centres = kmeansPlusPlus(x, k, seed, valid);
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
export async function kmeans(engine: Engine | null, x: PixelFeatures, o: { k: number; seed?: number; maxIter?: number; tol?: number; signal?: AbortSignal }): Promise<KmeansResult> {
  validateFeatures(x);
  const npix = x.ny * x.nx;
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > Math.min(npix, MAX_CLASSES)) throw new InputError(`kmeans: k must be an integer in [1, ${Math.min(npix, MAX_CLASSES)}] for ${npix} pixels, got ${o.k}`);
  const seed = o.seed ?? 1;
  // Lloyd iterations only: no log-likelihood table or label counts (nor their binding check).
  const backend = makeBackend(engine, x, o.k, { ny: x.ny, nx: x.nx, neighbours: 4, periodic: false }, seed, GIBBS_STREAM, null, 'kmeans');
  try {
    // The variances are not part of the result, so no variance floor (it would cost a pass over the data).
    const r = await lloyd(backend, x, o.k, seed, o.maxIter ?? 300, 0, o.tol ?? 1e-6, o.signal);
    return { labels: await backend.labels(), means: r.means, inertia: r.inertia, iterations: r.iterations };
  } finally {
    backend.dispose();
  }
}
