// A synthetic Mo 3d XPS map: the bundled demo data of `specmap demo` and the ground truth of the
// peak-fitting tests. Each pixel holds the Mo 3d5/2 + 3d3/2 spin-orbit doublet (split 3.13 eV,
// area ratio 3d3/2 : 3d5/2 = 2 : 3, shared width) on a flat offset plus a Shirley-like step
// (each peak adds background on its high-binding-energy side in proportion to its area), with
// Poisson counting noise. The 3d5/2 position varies over the map: a left-to-right gradient plus
// a round domain shifted towards the oxide side; the width and intensity vary mildly.
// Deterministic by seed (Philox4x32-10); browser-safe.

import { PhiloxStream } from '../../random/index.js';
import { makeSpectrumImage, type MapSet, type SpectrumImage } from '../types.js';
import type { PeakFitOptions } from '../../methods/peaks/model.js';
import { erf } from '../../math/special.js';

export const MO3D_SPLIT = 3.13;
export const MO3D_RATIO = 2 / 3;

export interface Mo3dOptions {
  nx?: number;
  ny?: number;
  /** Binding-energy axis: first, last and step (eV). Default 225, 239, 0.05 (281 channels). */
  energyStart?: number;
  energyEnd?: number;
  energyStep?: number;
  /** Mean 3d5/2 position (eV) and the half range of its variation over the map. Default 228.0, 0.5. */
  position?: number;
  positionRange?: number;
  /** Mean FWHM of both peaks (eV); varies by ±15 % over the map. Default 0.9. */
  fwhm?: number;
  /** Mean 3d5/2 area (counts); the doublet holds 5/3 of it. Varies by ±30 % over the map. Default 6000. */
  area?: number;
  /** Flat background per channel (counts). Default 25. */
  offset?: number;
  /** Shirley step: background added on the high-BE side per count of peak area, per channel. Default 0.004
   * (a 10 000-count doublet raises the high-BE background by 40 counts per channel). */
  step?: number;
  /** Poisson noise (default true); false gives the expected counts. */
  noise?: boolean;
  seed?: number;
}

export interface Mo3dData {
  image: SpectrumImage;
  /** Truth per pixel, [ny, nx] each, named like the fit's maps: Mo3d52_position, Mo3d32_position,
   * Mo3d52_fwhm, Mo3d32_fwhm, Mo3d52_area, Mo3d32_area (expected counts inside the window), background (expected counts). */
  truth: MapSet;
  /** Fit options that model this data: the linked doublet on a linear background. */
  fitOptions: PeakFitOptions;
}

function check(v: number, what: string, ok: boolean): number {
  if (!ok) throw new RangeError(`mo3d: ${what} is out of range (${v})`);
  return v;
}

export function mo3dMap(opts: Mo3dOptions = {}): Mo3dData {
  const nx = check(opts.nx ?? 100, 'nx', Number.isInteger(opts.nx ?? 100) && (opts.nx ?? 100) >= 1);
  const ny = check(opts.ny ?? 100, 'ny', Number.isInteger(opts.ny ?? 100) && (opts.ny ?? 100) >= 1);
  const e0 = opts.energyStart ?? 225;
  const e1 = opts.energyEnd ?? 239;
  const de = check(opts.energyStep ?? 0.05, 'energyStep', (opts.energyStep ?? 0.05) > 0);
  const channels = check(Math.round((e1 - e0) / de) + 1, 'channel count', Math.round((e1 - e0) / de) + 1 >= 3);
  const pos0 = opts.position ?? 228.0;
  const posRange = opts.positionRange ?? 0.5;
  const fwhm0 = opts.fwhm ?? 0.9;
  const area0 = opts.area ?? 6000;
  const offset = opts.offset ?? 25;
  const step = opts.step ?? 0.004;
  const noise = opts.noise ?? true;
  const seed = opts.seed ?? 1;

  const energy = Float64Array.from({ length: channels }, (_, i) => e0 + i * de);
  const npix = nx * ny;
  const data = new Float32Array(npix * channels);
  const truth = {
    pos52: new Float32Array(npix),
    pos32: new Float32Array(npix),
    fwhm: new Float32Array(npix),
    area52: new Float32Array(npix),
    area32: new Float32Array(npix),
    bg: new Float32Array(npix),
  };
  const rng = new PhiloxStream(seed, 0x30d);
  // The domain's centre and radius come from the seed too, so different seeds give different maps.
  const cx = 0.35 + 0.3 * rng.uniformDouble();
  const cy = 0.35 + 0.3 * rng.uniformDouble();
  const radius = 0.2 + 0.1 * rng.uniformDouble();
  const sigmaPerFwhm = 1 / (2 * Math.sqrt(2 * Math.LN2));
  const model = new Float64Array(channels);

  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const p = iy * nx + ix;
      const u = nx > 1 ? ix / (nx - 1) : 0.5;
      const v = ny > 1 ? iy / (ny - 1) : 0.5;
      // Gradient from -0.6 to +0.2 of the range, plus a smooth-edged domain adding 0.8: spans ±range.
      const r = Math.hypot(u - cx, v - cy);
      const domain = 0.5 * (1 - Math.tanh((r - radius) / 0.04));
      const pos = pos0 + posRange * (-0.6 + 0.8 * u + 0.8 * domain);
      const fwhm = fwhm0 * (1 + 0.15 * Math.sin(2 * Math.PI * v) * Math.cos(Math.PI * u));
      const area = area0 * (1 + 0.3 * Math.cos(Math.PI * (u + v)));
      const s = fwhm * sigmaPerFwhm;
      const peaks = [
        { c: pos, a: area },
        { c: pos + MO3D_SPLIT, a: area * MO3D_RATIO },
      ];
      let bgSum = 0;
      let in52 = 0;
      let in32 = 0;
      for (let n = 0; n < channels; n++) {
        const x = energy[n]!;
        let peakCounts = 0;
        let stepCounts = 0;
        for (let k = 0; k < 2; k++) {
          const { c, a } = peaks[k]!;
          const z = (x - c) / s;
          const counts = (a * de * Math.exp(-0.5 * z * z)) / (s * Math.sqrt(2 * Math.PI));
          if (k === 0) in52 += counts;
          else in32 += counts;
          peakCounts += counts;
          // Shirley-like: the background at x grows with the peak area at lower binding energy.
          stepCounts += step * a * 0.5 * (1 + erf(z / Math.SQRT2));
        }
        const bg = offset + stepCounts;
        bgSum += bg;
        model[n] = peakCounts + bg;
      }
      const out = data.subarray(p * channels, (p + 1) * channels);
      for (let n = 0; n < channels; n++) out[n] = noise ? rng.poisson(model[n]!) : model[n]!;
      truth.pos52[p] = pos;
      truth.pos32[p] = pos + MO3D_SPLIT;
      truth.fwhm[p] = fwhm;
      truth.area52[p] = in52;
      truth.area32[p] = in32;
      truth.bg[p] = bgSum;
    }
  }

  const shape = [ny, nx];
  const image = makeSpectrumImage(data, ny, nx, channels, energy, {
    energyUnit: 'eV',
    layout: 'map',
    meta: {
      generator: 'mo3d',
      seed,
      noise,
      nx,
      ny,
      energyStart: e0,
      energyEnd: e1,
      energyStep: de,
      position: pos0,
      positionRange: posRange,
      fwhm: fwhm0,
      area: area0,
      offset,
      step,
    },
  });
  return {
    image,
    truth: {
      Mo3d52_position: { data: truth.pos52, shape, unit: 'eV', description: 'true Mo 3d5/2 position' },
      Mo3d32_position: { data: truth.pos32, shape, unit: 'eV', description: 'true Mo 3d3/2 position' },
      Mo3d52_fwhm: { data: truth.fwhm, shape, unit: 'eV', description: 'true FWHM (both peaks)' },
      Mo3d32_fwhm: { data: Float32Array.from(truth.fwhm), shape, unit: 'eV', description: 'true FWHM (both peaks)' },
      Mo3d52_area: { data: truth.area52, shape, unit: 'counts', description: 'expected Mo 3d5/2 counts in the window' },
      Mo3d32_area: { data: truth.area32, shape, unit: 'counts', description: 'expected Mo 3d3/2 counts in the window' },
      background: { data: truth.bg, shape, unit: 'counts', description: 'expected background counts in the window' },
    },
    fitOptions: {
      peaks: [{ name: 'Mo3d52' }, { name: 'Mo3d32', link: { peak: 'Mo3d52', split: MO3D_SPLIT, ratio: MO3D_RATIO } }],
      background: ['rampUp', 'rampDown'],
    },
  };
}
