// A synthetic XANES stack of strongly overlapping components: the test case of minimum-volume NMF.
// k (3–5) normalised K-edge spectra — an arctan edge step of height 1, a Gaussian white line just
// above the edge, a damped post-edge oscillation — whose edge positions, widths and white lines
// differ only a little, drawn again until every pair of spectra correlates (Pearson) within
// [minCorrelation, maxCorrelation] (default 0.75–0.95, as real mixtures of one element's phases).
// Abundances sum to one in every pixel (a softmax of smooth random fields, so every component has
// nearly pure regions and broad mixtures between them); noise is Gaussian with standard deviation
// noise · (largest true value), not clipped, so pre-edge values dip below zero as measured data do.
// Deterministic by seed (Philox4x32-10); browser-safe.
import { InputError } from '../../engine/errors.js';
import { PhiloxStream } from '../../random/index.js';
import { makeSpectrumImage, type SpectrumImage } from '../types.js';

export interface XanesOptions {
  ny?: number;
  nx?: number;
  /** Components. Default 3. */
  k?: number;
  /** Energies, from E0 − 20 eV to E0 + 60 eV. Default 120. */
  channels?: number;
  /** Noise standard deviation relative to the largest true value. Default 0.02. */
  noise?: number;
  /** Pairwise Pearson correlation window of the true spectra. Default [0.75, 0.95]. */
  minCorrelation?: number;
  maxCorrelation?: number;
  /** Softmax sharpness of the abundance fields: larger = purer pixels. Default 5. */
  purity?: number;
  seed?: number;
}

export interface XanesData {
  image: SpectrumImage;
  /** True spectra, k × channels. */
  spectra: Float64Array;
  /** True abundance maps, k × ny × nx (summing to 1 in every pixel). */
  maps: Float64Array;
  k: number;
  /** Largest and smallest pairwise correlation of the true spectra. */
  correlation: { min: number; max: number };
}

export const XANES_STREAM = 0x7a4e;
/** Edge energy of the synthetic spectra (eV; Co K). */
export const XANES_E0 = 7709;

function pearson(a: Float64Array, b: Float64Array): number {
  const m = a.length;
  let ma = 0;
  let mb = 0;
  for (let c = 0; c < m; c++) {
    ma += a[c]!;
    mb += b[c]!;
  }
  ma /= m;
  mb /= m;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let c = 0; c < m; c++) {
    ab += (a[c]! - ma) * (b[c]! - mb);
    aa += (a[c]! - ma) ** 2;
    bb += (b[c]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** One normalised K-edge spectrum with random edge shift, width, white line and oscillation. */
function edgeSpectrum(rng: PhiloxStream, energy: Float64Array): Float64Array {
  const shift = -4 + 8 * rng.uniform();
  const width = 0.8 + 2.2 * rng.uniform();
  const wlPos = shift + 2 + 5 * rng.uniform();
  const wlHeight = 0.2 + 1.3 * rng.uniform();
  const wlWidth = 1.5 + 4 * rng.uniform();
  const oscAmp = 0.05 + 0.15 * rng.uniform();
  const oscPeriod = 8 + 10 * rng.uniform();
  const oscPhase = 2 * Math.PI * rng.uniform();
  return Float64Array.from(energy, (E) => {
    const e = E - XANES_E0;
    const step = 0.5 + Math.atan((e - shift) / width) / Math.PI;
    const wl = wlHeight * Math.exp(-0.5 * ((e - wlPos) / wlWidth) ** 2);
    const above = Math.max(0, e - wlPos);
    const osc =
      oscAmp *
      Math.sin((above / oscPeriod) * 2 * Math.PI + oscPhase) *
      (1 - Math.exp(-above / 4)) *
      Math.exp(-above / 40);
    return step * (1 + osc) + wl;
  });
}

/** A smooth random field on the grid (a few Gaussian blobs), scaled to [0, 1]. */
function smoothField(rng: PhiloxStream, ny: number, nx: number): Float64Array {
  const f = new Float64Array(ny * nx);
  const blobs = 3;
  for (let b = 0; b < blobs; b++) {
    const cy = rng.uniform() * ny;
    const cx = rng.uniform() * nx;
    const r = (0.15 + 0.25 * rng.uniform()) * Math.max(ny, nx);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) f[y * nx + x] += Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r));
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of f) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return f.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5));
}

export function xanesStack(o: XanesOptions = {}): XanesData {
  const ny = o.ny ?? 48;
  const nx = o.nx ?? 48;
  const k = o.k ?? 3;
  const channels = o.channels ?? 120;
  const noise = o.noise ?? 0.02;
  const lo = o.minCorrelation ?? 0.75;
  const hi = o.maxCorrelation ?? 0.95;
  const purity = o.purity ?? 5;
  for (const [v, what] of [
    [ny, 'ny'],
    [nx, 'nx'],
    [k, 'k'],
    [channels, 'channels'],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new InputError(`xanes: ${what} must be an integer >= 1, got ${v}`);
  if (!(noise >= 0)) throw new InputError(`xanes: noise must be >= 0, got ${noise}`);
  if (!(lo < hi)) throw new InputError(`xanes: minCorrelation must be below maxCorrelation`);
  const rng = new PhiloxStream(o.seed ?? 1, XANES_STREAM);
  const energy = Float64Array.from({ length: channels }, (_, c) => XANES_E0 - 20 + (80 * c) / (channels - 1 || 1));
  // Draw whole sets until every pair lies in the window (rejection; a few hundred draws at most for k = 5).
  let spectra: Float64Array[] = [];
  let cmin = 0;
  let cmax = 0;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 100000) throw new InputError(`xanes: no ${k} spectra correlate pairwise within [${lo}, ${hi}]`);
    const set: Float64Array[] = [];
    let ok = true;
    cmin = 1;
    cmax = -1;
    for (let t = 0; t < k && ok; t++) {
      const s = edgeSpectrum(rng, energy);
      for (const prev of set) {
        const r = pearson(s, prev);
        cmin = Math.min(cmin, r);
        cmax = Math.max(cmax, r);
        if (r < lo || r > hi) ok = false;
      }
      set.push(s);
    }
    if (ok) {
      spectra = set;
      break;
    }
  }
  const npix = ny * nx;
  const fields = Array.from({ length: k }, () => smoothField(rng, ny, nx));
  const maps = new Float64Array(k * npix);
  for (let p = 0; p < npix; p++) {
    let z = 0;
    for (let t = 0; t < k; t++) z += Math.exp(purity * fields[t]![p]!);
    for (let t = 0; t < k; t++) maps[t * npix + p] = Math.exp(purity * fields[t]![p]!) / z;
  }
  const clean = new Float64Array(npix * channels);
  let peak = 0;
  for (let p = 0; p < npix; p++)
    for (let c = 0; c < channels; c++) {
      let v = 0;
      for (let t = 0; t < k; t++) v += maps[t * npix + p]! * spectra[t]![c]!;
      clean[p * channels + c] = v;
      peak = Math.max(peak, v);
    }
  const data = Float32Array.from(clean, (v) => v + noise * peak * rng.normal());
  const flat = new Float64Array(k * channels);
  spectra.forEach((s, t) => flat.set(s, t * channels));
  const image = makeSpectrumImage(data, ny, nx, channels, energy, {
    meta: { source: 'synthetic XANES stack' },
  });
  return { image, spectra: flat, maps, k, correlation: { min: cmin, max: cmax } };
}
