// A synthetic grain map: the ground truth of the Potts-MRF tests and benchmark. Voronoi cells
// (grains of an electrode, domains of a 2-D device) from uniformly placed seeds, each cell given
// one of K classes; class k's spectrum is a Gaussian band on a flat baseline, the bands spread
// evenly over the channels; every pixel is its class spectrum plus independent Gaussian noise
// of standard deviation `noise` per channel. Deterministic by seed (Philox4x32-10); browser-safe.
import { InputError } from '../../engine/errors.js';
import { PhiloxStream } from '../../random/index.js';
import { makeSpectrumImage, type SpectrumImage } from '../types.js';

export interface GrainOptions {
  ny?: number;
  nx?: number;
  /** Voronoi cells. Default: one per 400 pixels (a grain ~20 pixels across), at least 2·K. */
  cells?: number;
  /** Classes K. Default 4. */
  k?: number;
  /** Channels per spectrum. Default 32. */
  channels?: number;
  /** Gaussian noise standard deviation per channel. Default 0.9 (k-means on single pixels then scores ARI ~0.25). */
  noise?: number;
  /** Height of each class's band over the baseline of 1. Default 0.5. */
  amplitude?: number;
  seed?: number;
}

export interface GrainData {
  image: SpectrumImage;
  /** True class of each pixel [ny·nx]. */
  labels: Uint32Array;
  /** Noise-free class spectra [K·channels]. */
  spectra: Float64Array;
  k: number;
}

export const GRAIN_STREAM = 0x67a1;

function positiveInt(v: number, what: string, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new InputError(`grains: ${what} must be an integer >= ${min}, got ${v}`);
  return v;
}

export function grainMap(o: GrainOptions = {}): GrainData {
  const ny = positiveInt(o.ny ?? 128, 'ny', 1);
  const nx = positiveInt(o.nx ?? 128, 'nx', 1);
  const k = positiveInt(o.k ?? 4, 'k', 1);
  const channels = positiveInt(o.channels ?? 32, 'channels', 1);
  const cells = positiveInt(o.cells ?? Math.max(2 * k, Math.round((ny * nx) / 400)), 'cells', 1);
  const noise = o.noise ?? 0.9;
  const amplitude = o.amplitude ?? 0.5;
  if (!(noise >= 0) || !(amplitude > 0))
    throw new InputError(`grains: noise must be >= 0 and amplitude > 0, got ${noise}, ${amplitude}`);
  const seed = o.seed ?? 1;
  const rng = new PhiloxStream(seed, GRAIN_STREAM);

  const spectra = new Float64Array(k * channels);
  const width = Math.max(1, channels / (2 * k));
  for (let c = 0; c < k; c++) {
    const centre = ((c + 0.5) / k) * (channels - 1);
    for (let j = 0; j < channels; j++)
      spectra[c * channels + j] = 1 + amplitude * Math.exp(-0.5 * ((j - centre) / width) ** 2);
  }

  // Seeds and their classes; every class gets at least one cell when cells >= k.
  const sy = new Float64Array(cells);
  const sx = new Float64Array(cells);
  const cls = new Uint32Array(cells);
  for (let i = 0; i < cells; i++) {
    sy[i] = rng.uniformDouble() * ny;
    sx[i] = rng.uniformDouble() * nx;
    cls[i] = i < k ? i : rng.int(k);
  }

  const labels = new Uint32Array(ny * nx);
  const data = new Float32Array(ny * nx * channels);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      let best = 0;
      let bestD = Infinity;
      for (let i = 0; i < cells; i++) {
        const d2 = (y + 0.5 - sy[i]!) ** 2 + (x + 0.5 - sx[i]!) ** 2;
        if (d2 < bestD) {
          bestD = d2;
          best = i;
        }
      }
      const p = y * nx + x;
      const c = cls[best]!;
      labels[p] = c;
      for (let j = 0; j < channels; j++) data[p * channels + j] = spectra[c * channels + j]! + noise * rng.normal();
    }
  }
  const image = makeSpectrumImage(data, ny, nx, channels, undefined, {
    meta: { generator: 'grains', ny, nx, k, channels, cells, noise, amplitude, seed },
  });
  return { image, labels, spectra, k };
}
