// Checking a spectrum image before fitting: non-finite values are errors naming the pixel and
// channel (data/non-finite.ts); negative counts are an error or clipped to 0 (option
// `negative`); each pixel's total counts are needed for the areas, and pixels with none are
// flagged instead of fitted. A pixel mask leaves pixels out: only the selected ones are checked, and the others are given zero
// counts, so both backends and the maps treat them exactly as pixels without counts (not fitted:
// NaN maps, converged 0, iterations 0; left out of the mean spectrum too).

import { InputError } from '../../engine/errors.js';
import type { SpectrumImage } from '../../data/types.js';
import { nonFiniteError } from '../../data/non-finite.js';
import { describePixel } from '../../data/validate.js';
import type { ResolvedPeaks } from './model.js';

export interface CheckedInput {
  /** Counts (the caller's array when nothing needed clipping, else a clipped copy). */
  data: Float32Array;
  /** Total counts of each pixel (float64 sum). */
  totals: Float64Array;
  /** Selected pixels with zero total counts (not fitted: converged 0, outputs NaN). */
  empty: number;
  /** Pixels the mask leaves out (not fitted, as empty ones: their counts here are all 0). */
  masked: number;
  clipped: number;
}

function pixelName(img: SpectrumImage, p: number): string {
  return describePixel(img, { pixel: p, y: Math.floor(p / img.nx), x: p % img.nx });
}

/** Check a pixel mask (length ny·nx, non-zero = fit) and count the pixels it leaves out. */
function checkMask(mask: ArrayLike<number>, P: number, ny: number, nx: number): number {
  if (mask.length !== P)
    throw new InputError(`pixelMask has ${mask.length} values but the map has ${ny} × ${nx} = ${P} pixels`);
  let masked = 0;
  for (let p = 0; p < P; p++) if (!mask[p]) masked++;
  if (masked === P) throw new InputError(`pixelMask selects no pixel (all ${P} are 0): nothing to fit`);
  return masked;
}

export function checkInput(img: SpectrumImage, m: ResolvedPeaks, pixelMask?: ArrayLike<number>): CheckedInput {
  const { channels: C, data } = img;
  // Messages start with the file the spectra came from, when the loader recorded it.
  const from = typeof img.meta?.source === 'string' ? `${img.meta.source}: ` : '';
  const P = img.ny * img.nx;
  if (data.length !== P * C)
    throw new InputError(`image data has ${data.length} values, expected ${img.ny}×${img.nx}×${C} = ${P * C}`);
  if (img.energy.length !== C)
    throw new InputError(`energy axis has ${img.energy.length} values but the spectra have ${C} channels`);
  const masked = pixelMask ? checkMask(pixelMask, P, img.ny, img.nx) : 0;
  let out = data;
  let clipped = 0;
  let empty = 0;
  let negatives = 0;
  let firstNegative = -1;
  // Pixels with counts whose spectrum is flat (every channel the same): they hold no peak.
  let flat = 0;
  let firstFlat = -1;
  const totals = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    if (pixelMask && !pixelMask[p]) {
      // Zero counts: the backends' and the maps' "not fitted" path; no NaN reaches the GPU.
      let o = p * C;
      while (o < (p + 1) * C && data[o] === 0) o++;
      if (o < (p + 1) * C) {
        if (out === data) out = Float32Array.from(data);
        out.fill(0, p * C, (p + 1) * C);
      }
      continue;
    }
    let sum = 0;
    for (let n = p * C, end = n + C; n < end; n++) {
      const v = data[n]!;
      // The first NaN/±Inf: count them all (over the selected pixels) for the message.
      if (v - v !== 0) throw nonFiniteError(img, { pixelMask: pixelMask ?? null })!;
      if (v < 0) {
        // Counted to the end, so the message can tell a few dips below zero from background-subtracted data.
        if (negatives++ === 0) firstNegative = n;
        if (m.negative === 'error') continue;
        if (out === data) out = Float32Array.from(data);
        out[n] = 0;
        clipped++;
      } else sum += v;
    }
    totals[p] = sum;
    if (sum === 0) empty++;
    else if (isFlat(data, p * C, C)) {
      if (flat++ === 0) firstFlat = p;
    }
  }
  if (m.negative === 'error' && negatives > 0) {
    const p = Math.floor(firstNegative / C);
    const share = (100 * negatives) / ((P - masked) * C); // of the values checked
    throw new InputError(
      `${from}${pixelName(img, p)}, channel ${firstNegative - p * C} holds negative counts (${data[firstNegative]}; ` +
        `${negatives} negative value${negatives === 1 ? '' : 's'} in all, ${share < 0.1 ? '< 0.1' : share.toPrecision(2)} %): ` +
        `EM fits counts, so fit the spectra before any background subtraction, or pass negative: 'clip' (CLI --negative clip) to set them to 0`,
    );
  }
  if (flat > 0 && flat + empty === P - masked)
    throw new InputError(
      `${from}every${masked ? ' selected' : ''} spectrum with counts is flat (the same value in every channel; ` +
        `${pixelName(img, firstFlat)} holds ${data[firstFlat * C]} throughout): there are no peaks to fit`,
    );
  return { data: out, totals, empty, masked, clipped };
}

function isFlat(data: Float32Array, o: number, C: number): boolean {
  for (let n = o + 1; n < o + C; n++) if (data[n] !== data[o]) return false;
  return true;
}
