// Which backend runs the sweeps: the WebGPU one when the engine has a GPU, else the float64 reference.
import type { Engine } from '../../engine/index.js';
import type { BackendPurpose, MrfBackend } from './backend.js';
import { CpuMrfBackend } from './cpu.js';
import { GpuMrfBackend } from './gpu.js';
import type { Lattice } from './lattice.js';
import type { PixelFeatures } from './model.js';

/** Philox stream of the Gibbs sampler (k-means++ uses 1, random Potts starts 2). */
export const GIBBS_STREAM = 0;

/** `valid`: 1 = segment the pixel, 0 = left out by a pixel mask (null: every pixel). `purpose`
 *  'kmeans': a backend for Lloyd iterations only, without the Gibbs sweeps' buffers (backend.ts). */
export function makeBackend(
  engine: Engine | null,
  x: PixelFeatures,
  k: number,
  lat: Lattice,
  seed: number,
  stream = GIBBS_STREAM,
  valid: Uint8Array | null = null,
  purpose: BackendPurpose = 'mrf',
): MrfBackend {
  return engine?.gpu
    ? new GpuMrfBackend(engine.gpu, x, k, lat, seed, stream, valid, purpose)
    : new CpuMrfBackend(x, k, lat, seed, stream, valid, purpose);
}
