// Noise-free spectra that the EM model represents exactly: Gaussians (density times channel width
// times area) on a linear background, sampled at the channel centres. The EM's maximum-likelihood
// solution for such data is the generating parameters, so a correct reference recovers them.

import { makeSpectrumImage, type SpectrumImage } from '../../../src/data/types.js';

export interface TruePeak {
  position: number;
  sigma: number;
  area: number;
}

/** One spectrum per entry of `pixels`, each a list of peaks plus a background line a + b (x - x0). */
export function exactImage(energy: Float64Array, pixels: { peaks: TruePeak[]; bg: [number, number] }[]): SpectrumImage {
  const C = energy.length;
  const step = Math.abs(energy[1]! - energy[0]!);
  const data = new Float32Array(pixels.length * C);
  pixels.forEach((px, p) => {
    for (let n = 0; n < C; n++) {
      const x = energy[n]!;
      let v = px.bg[0] + (px.bg[1] * n) / (C - 1);
      for (const pk of px.peaks) {
        const z = (x - pk.position) / pk.sigma;
        v += (pk.area * step * Math.exp(-0.5 * z * z)) / (pk.sigma * Math.sqrt(2 * Math.PI));
      }
      data[p * C + n] = v;
    }
  });
  return makeSpectrumImage(data, 1, pixels.length, C, energy, { energyUnit: 'eV' });
}

export function axis(start: number, step: number, channels: number): Float64Array {
  return Float64Array.from({ length: channels }, (_, n) => start + n * step);
}
