// A synthetic 2D-XAS stack of a battery electrode: the ground truth of the NMF tests and benchmark.
// k phases (e.g. LiFePO4 / FePO4 / an intermediate), each with an Fe L-edge spectrum — L3 and L2
// multiplet peaks shifted with the iron valence, on small edge steps — and an abundance map
// (flat-topped particles, each of one phase or core-shell, so each phase has pure pixels as in a
// partly (de)lithiated electrode, which makes the factorisation identifiable). Every value is
// v = Σ_t map_t · spectrum_t plus independent Gaussian noise of standard deviation
// noise · sqrt(max(v) · v) (shot-noise-like; equal to noise · max(v) at the brightest value),
// clipped at 0. Deterministic by seed (Philox4x32-10); browser-safe.
import { InputError } from '../../engine/errors.js';
import { PhiloxStream } from '../../random/index.js';
import { makeSpectrumImage, type SpectrumImage } from '../types.js';

export interface ElectrodeOptions {
  ny?: number;
  nx?: number;
  /** Phases (components). Default 3. */
  k?: number;
  /** Energies. Default 300, from 700 to 730 eV. */
  channels?: number;
  /** Noise: standard deviation noise · sqrt(max · v) at value v (noise · max at the brightest). Default 0.01. */
  noise?: number;
  /** Particles in the field of view (about). Default 16. */
  particles?: number;
  seed?: number;
}

export interface ElectrodeData {
  image: SpectrumImage;
  /** True spectra, k × channels (the NMF factors). */
  spectra: Float64Array;
  /** True abundance maps, k × ny × nx (the NMF loadings). */
  maps: Float64Array;
  k: number;
}

export const ELECTRODE_STREAM = 0xe1ec;

function positiveInt(v: number, what: string, min: number): number {
  if (!Number.isInteger(v) || v < min)
    throw new InputError(`electrode: ${what} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** Phase t's Fe L-edge spectrum at energy e (eV), as in Li_xFePO4 electrodes: L3 and L2 multiplets
 * (two peaks each) whose energies rise with t (Fe²⁺ → Fe³⁺), on small arctan edge steps. */
function phaseSpectrum(t: number, e: number): number {
  const l3 = 706 + 1.6 * t;
  const peak = (c: number, w: number, a: number) => a * Math.exp(-0.5 * ((e - c) / w) ** 2);
  const step = (c: number, h: number) => h * (0.5 + Math.atan((e - c) / 0.6) / Math.PI);
  const main = 1 + 0.3 * (t % 2);
  return (
    peak(l3, 0.4, main) +
    peak(l3 - 1.1 + 0.3 * t, 0.4, 0.35 - 0.05 * (t % 3)) +
    peak(l3 + 12.8, 0.6, 0.45) +
    peak(l3 + 14.2 - 0.4 * t, 0.6, 0.3 + 0.1 * t) +
    step(l3 + 0.8, 0.08) +
    step(l3 + 13.6, 0.04)
  );
}

export function electrodeStack(o: ElectrodeOptions = {}): ElectrodeData {
  const ny = positiveInt(o.ny ?? 64, 'ny', 1);
  const nx = positiveInt(o.nx ?? 64, 'nx', 1);
  const k = positiveInt(o.k ?? 3, 'k', 1);
  const channels = positiveInt(o.channels ?? 300, 'channels', 2);
  const particles = positiveInt(o.particles ?? 16, 'particles', 1);
  const noise = o.noise ?? 0.01;
  if (!(noise >= 0)) throw new InputError(`electrode: noise must be >= 0, got ${noise}`);
  const rng = new PhiloxStream(o.seed ?? 1, ELECTRODE_STREAM);

  const energy = Float64Array.from({ length: channels }, (_, j) => 700 + (30 * j) / (channels - 1));
  const spectra = new Float64Array(k * channels);
  for (let t = 0; t < k; t++)
    for (let j = 0; j < channels; j++) spectra[t * channels + j] = phaseSpectrum(t, energy[j]!);

  // Particles on a jittered grid of cells, the phases dealt out evenly; every third particle is
  // core-shell (its rim is the next phase), so maps overlap at rims while each phase keeps pure pixels.
  const npix = ny * nx;
  const maps = new Float64Array(k * npix);
  const cell = Math.max(3, Math.min(ny, nx) / Math.sqrt(particles));
  const rows = Math.max(1, Math.round(ny / cell));
  const cols = Math.max(1, Math.round(nx / cell));
  const ch = ny / rows;
  const cw = nx / cols;
  for (let i = 0; i < rows * cols; i++) {
    const t = (i + Math.floor(i / cols)) % k;
    const cy = (Math.floor(i / cols) + 0.5) * ch + (rng.uniform() - 0.5) * 0.2 * ch;
    const cx = ((i % cols) + 0.5) * cw + (rng.uniform() - 0.5) * 0.2 * cw;
    const r = Math.min(ch, cw) * (0.32 + 0.12 * rng.uniform());
    const h = 0.6 + 0.8 * rng.uniform();
    const shell = k > 1 && i % 3 === 2;
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const d = Math.sqrt((y - cy) ** 2 + (x - cx) ** 2) / r;
        if (d > 2) continue;
        const thick = h / (1 + Math.exp((d - 1) * 8)); // flat top, soft rim
        const rim = shell ? 1 / (1 + Math.exp((0.6 - d) * 10)) : 0; // 0 in the core, 1 at the rim
        maps[t * npix + y * nx + x] += thick * (1 - rim);
        if (shell) maps[((t + 1) % k) * npix + y * nx + x] += thick * rim;
      }
  }

  const data = new Float32Array(npix * channels);
  let peak = 0;
  for (let p = 0; p < npix; p++)
    for (let j = 0; j < channels; j++) {
      let v = 0;
      for (let t = 0; t < k; t++) v += maps[t * npix + p]! * spectra[t * channels + j]!;
      data[p * channels + j] = v;
      peak = Math.max(peak, v);
    }
  // Shot-noise-like: the standard deviation grows as sqrt(signal), so empty pixels stay (almost)
  // empty and clipping at 0 (which would add a spurious flat component) is rare.
  if (noise > 0)
    for (let i = 0; i < data.length; i++)
      data[i] = Math.max(0, data[i]! + noise * Math.sqrt(peak * data[i]!) * rng.normal());
  const image = makeSpectrumImage(data, ny, nx, channels, energy, {
    energyUnit: 'eV',
    meta: { source: 'synthetic electrode', generator: 'electrode', k, noise, seed: o.seed ?? 1 },
  });
  return { image, spectra, maps, k };
}
