// Random synthetic peak maps for the parity suite and the CPU tests (browser-safe): K Gaussians
// at well-separated random positions with random widths and areas, jittered per pixel, on a
// random linear background, with Poisson noise. Fresh each call unless a seed is given. The energy
// axis is evenly spaced, or with `jitter` each channel moves by up to +-jitter/2 steps (uneven);
// `descending` stores it from high to low energy (binding-energy order), spectra reversed with it.
// `step` adds a Shirley-like step under every peak, rising towards higher energy (binding energy):
// `step` counts per channel per count of the peak's area, smoothed by the peak's own Gaussian.
// `tougaard` adds Tougaard's background of the noise-free peaks with that B (eV^2; C = 1643 eV^2),
// losses towards higher energy (binding energy): per channel B width_n sum_m K(x_n - x_m) peak_m.

import { makeSpectrumImage, type SpectrumImage } from '../../../src/data/types.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { TOUGAARD_C, tougaardKernel } from '../../../src/methods/peaks/components.js';
import { normalCdf } from '../../../src/math/special.js';

export interface RandomMap {
  image: SpectrumImage;
  /** Per peak: true position and sigma of pixel 0's neighbourhood centre (energy units). */
  positions: number[];
  sigmas: number[];
  /** Per peak: area (counts) at unit intensity; pixels scale all peaks by one factor in [0.5, 1.5). */
  areas: number[];
  step: number;
  seed: number;
}

export function randomPeakMap(opts: {
  pixels: number;
  K: number;
  channels?: number;
  seed?: number;
  noise?: boolean;
  background?: boolean;
  jitter?: number;
  descending?: boolean;
  step?: number;
  tougaard?: number;
}): RandomMap {
  const seed = opts.seed ?? Math.floor(Math.random() * 0xffffffff);
  const rng = new PhiloxStream(seed, 7);
  const C = opts.channels ?? 120 + rng.int(160);
  const step = 0.05 + 0.1 * rng.uniformDouble();
  const e0 = 100 * rng.uniformDouble();
  const jitter = opts.jitter ?? 0;
  const energy = Float64Array.from({ length: C }, (_, n) => e0 + (n + jitter * (rng.uniformDouble() - 0.5)) * step);
  // Peaks in K equal slots of the inner 70 % of the window, sigma 2..5 channels.
  const positions: number[] = [];
  const sigmas: number[] = [];
  const areas: number[] = [];
  for (let k = 0; k < opts.K; k++) {
    const slot = (0.15 + (0.7 * (k + 0.3 + 0.4 * rng.uniformDouble())) / opts.K) * (C - 1);
    positions.push(e0 + slot * step);
    sigmas.push((2 + 3 * rng.uniformDouble()) * step);
    areas.push(3000 + 12000 * rng.uniformDouble());
  }
  const withBackground = opts.background ?? true;
  const bg0 = withBackground ? 5 + 20 * rng.uniformDouble() : 0;
  const bg1 = withBackground ? 5 + 20 * rng.uniformDouble() : 0;
  const data = new Float32Array(opts.pixels * C);
  const peak = new Float64Array(C);
  for (let p = 0; p < opts.pixels; p++) {
    const shift = (rng.uniformDouble() - 0.5) * 2 * step;
    const scale = 0.5 + rng.uniformDouble();
    for (let n = 0; n < C; n++) {
      const x = energy[n]!;
      let mu = bg0 + ((bg1 - bg0) * n) / (C - 1);
      peak[n] = 0;
      for (let k = 0; k < opts.K; k++) {
        const z = (x - positions[k]! - shift) / sigmas[k]!;
        const g = (scale * areas[k]! * step * Math.exp(-0.5 * z * z)) / (sigmas[k]! * Math.sqrt(2 * Math.PI));
        mu += g;
        peak[n] += g;
        if (opts.step) mu += opts.step * scale * areas[k]! * normalCdf(z);
      }
      if (opts.tougaard)
        for (let m = 0; m < n; m++) mu += opts.tougaard * step * tougaardKernel(x - energy[m]!, TOUGAARD_C) * peak[m]!;
      data[p * C + n] = opts.noise === false ? mu : rng.poisson(mu);
    }
  }
  if (opts.descending) {
    energy.reverse();
    for (let p = 0; p < opts.pixels; p++) data.subarray(p * C, (p + 1) * C).reverse();
  }
  const side = Math.round(Math.sqrt(opts.pixels));
  const ny = side * side === opts.pixels ? side : 1;
  const image = makeSpectrumImage(data, ny, opts.pixels / ny, C, energy, { energyUnit: 'eV' });
  return { image, positions, sigmas, areas, step, seed };
}
