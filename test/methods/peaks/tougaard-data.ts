// Spectra whose background is Tougaard's integral of their own peaks (plus a constant), with Poisson
// noise: the ground truth for the Tougaard accuracy tests on the CPU (tougaard.test.ts) and the GPU
// (gpu.test.ts).
import { makeSpectrumImage } from '../../../src/data/types.js';
import { TOUGAARD_C, tougaardKernel } from '../../../src/methods/peaks/components.js';
import { PhiloxStream } from '../../../src/random/index.js';
import type { PeakFitResult } from '../../../src/methods/peaks/index.js';

/** Spectra whose background is 20 counts per channel plus B = 3 x 2866 eV^2 times the Tougaard integral
 * (C = 1643 eV^2) of their noise-free peaks, with Poisson noise: 2 Gaussians (FWHM 1.4 eV) at 110 and 116 eV binding energy +-0.2 eV, 0.1 eV
 * channels over 100-140 eV. */
export function tougaardData(seed: number, pixels: number) {
  const rng = new PhiloxStream(seed, 3);
  const C = 400;
  const h = 0.1;
  const x = Float64Array.from({ length: C }, (_, n) => 100 + n * h);
  const data = new Float32Array(pixels * C);
  const truth: number[][] = [];
  const trueBackground: number[] = [];
  for (let p = 0; p < pixels; p++) {
    const shift = (rng.uniformDouble() - 0.5) * 0.4;
    const scale = 0.5 + rng.uniformDouble();
    const pos = [110 + shift, 116 + shift];
    truth.push(pos);
    const peak = x.map((e) =>
      [20000, 12000].reduce(
        (s, a, k) => s + (scale * a * h * Math.exp(-0.5 * ((e - pos[k]!) / 0.6) ** 2)) / (0.6 * Math.sqrt(2 * Math.PI)),
        0,
      ),
    );
    let bg = 0;
    for (let n = 0; n < C; n++) {
      let b = 20;
      for (let m = 0; m < n; m++) b += 3 * 2866 * h * tougaardKernel(x[n]! - x[m]!, TOUGAARD_C) * peak[m]!;
      bg += b;
      data[p * C + n] = rng.poisson(b + peak[n]!);
    }
    trueBackground.push(bg);
  }
  return { image: makeSpectrumImage(data, 1, pixels, C, x, { energyUnit: 'eV' }), truth, trueBackground };
}

/** Sorted |position error| over every pixel and peak, and sorted |background / true background - 1|. */
export function tougaardErrors(
  d: ReturnType<typeof tougaardData>,
  r: PeakFitResult,
): { position: number[]; background: number[] } {
  const position = d.truth
    .flatMap((t, p) => t.map((v, k) => Math.abs(r.maps[`p${k + 1}_position`]!.data[p]! - v)))
    .sort((a, b) => a - b);
  const background = d.trueBackground
    .map((t, p) => Math.abs(r.maps.background!.data[p]! / t - 1))
    .sort((a, b) => a - b);
  return { position, background };
}
