// The Gibbs sampler with the data term switched off: draws from the Potts prior alone. Used to
// check the sampler against known Potts statistics (like-neighbour fraction vs beta) and as a
// generator of Potts label fields.
import { InputError } from '../../engine/errors.js';
import type { Engine } from '../../engine/index.js';
import { PhiloxStream } from '../../random/stream.js';
import { NO_ANNEAL, NO_COUNTS, statsLayout } from './backend.js';
import { checkLattice, edgeCount, type Lattice } from './lattice.js';
import { MAX_CLASSES, type Neighbours } from './model.js';
import { GIBBS_STREAM, makeBackend } from './select.js';

export const POTTS_INIT_STREAM = 2;

export interface PottsOptions {
  ny: number;
  nx: number;
  k: number;
  beta: number;
  neighbours?: Neighbours;
  /** Default true (a torus, as in the exact results). */
  periodic?: boolean;
  /** Sweeps in all, the first `burnIn` not measured. */
  sweeps: number;
  burnIn: number;
  /** Measure the like-neighbour fraction every this many sweeps. Default 1. */
  measureEvery?: number;
  seed?: number;
  /** Start from independent uniform labels ('random', default) or all labels 0 ('ordered'). */
  init?: 'random' | 'ordered';
}

export interface PottsResult {
  /** Fraction of lattice edges whose two pixels share a label, at each measurement. */
  likeFraction: number[];
  mean: number;
  /** Standard error of the mean by 20 batch means (accounts for autocorrelation). */
  stdErr: number;
  labels: Uint32Array;
}

/** Mean and batch-means standard error of a correlated series. */
export function batchMeans(xs: number[], batches = 20): { mean: number; stdErr: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const size = Math.floor(n / batches);
  if (size < 1) return { mean, stdErr: NaN };
  const bm: number[] = [];
  for (let b = 0; b < batches; b++) bm.push(xs.slice(b * size, (b + 1) * size).reduce((a, c) => a + c, 0) / size);
  const mb = bm.reduce((a, c) => a + c, 0) / batches;
  const v = bm.reduce((a, c) => a + (c - mb) ** 2, 0) / (batches - 1);
  return { mean, stdErr: Math.sqrt(v / batches) };
}

export async function samplePotts(engine: Engine | null, o: PottsOptions): Promise<PottsResult> {
  const lat: Lattice = { ny: o.ny, nx: o.nx, neighbours: o.neighbours ?? 4, periodic: o.periodic ?? true };
  checkLattice(lat);
  if (!Number.isInteger(o.k) || o.k < 2 || o.k > MAX_CLASSES)
    throw new InputError(`potts: k must be an integer in [2, ${MAX_CLASSES}], got ${o.k}`);
  if (!(Number.isFinite(o.beta) && o.beta >= 0))
    throw new InputError(`potts: beta must be a finite number >= 0, got ${o.beta}`);
  const every = o.measureEvery ?? 1;
  const seed = o.seed ?? 1;
  const npix = lat.ny * lat.nx;
  const x = { data: new Float32Array(npix), ny: lat.ny, nx: lat.nx, channels: 1 };
  const backend = makeBackend(engine, x, o.k, lat, seed, GIBBS_STREAM);
  try {
    backend.setZeroDataTerm();
    const init = new Uint32Array(npix);
    if ((o.init ?? 'random') === 'random') {
      const rng = new PhiloxStream(seed, POTTS_INIT_STREAM);
      for (let p = 0; p < npix; p++) init[p] = rng.int(o.k);
    }
    backend.setLabels(init);
    const centres = new Float64Array(o.k);
    const edges = edgeCount(lat);
    const L = statsLayout(o.k, 1);
    const likeFraction: number[] = [];
    for (let s = 0; s < o.sweeps;) {
      const n = s < o.burnIn ? Math.min(o.burnIn - s, 50) : Math.min(every, o.sweeps - s);
      backend.sweeps({ from: s, count: n, beta: o.beta, countFrom: NO_COUNTS, ...NO_ANNEAL });
      s += n;
      if (s > o.burnIn) likeFraction.push((await backend.stats(centres))[L.likeEdges]! / edges);
    }
    return { likeFraction, ...batchMeans(likeFraction), labels: await backend.labels() };
  } finally {
    backend.dispose();
  }
}
