// Host-side checks of a spectrum image before it goes to the GPU (WGSL may assume finite math):
// counts and first locations of NaN/Inf, negative values and all-zero spectra. Browser-safe.
import { assertNoNonFinite } from './non-finite.js';
import type { ValueLocation } from './pixel-name.js';
import type { SpectrumImage } from './types.js';

export { describePixel, type ValueLocation } from './pixel-name.js';

export interface Finding {
  count: number;
  /** The first occurrence in storage order, or null when count is 0. */
  first: ValueLocation | null;
}

export interface SpectraScan {
  values: number;
  /** Over finite values only (NaN when there are none). */
  min: number;
  max: number;
  mean: number;
  /** Sum of the finite values (total counts for counting detectors), accumulated in float64. */
  total: number;
  nan: Finding;
  /** +Inf and -Inf together. */
  inf: Finding;
  /** Finite values below 0 (-Inf counts under inf only). */
  negative: Finding;
  /** Spectra whose every value is 0; `first.channel` is 0. */
  zeroSpectra: Finding;
}

function locate(img: SpectrumImage, index: number): ValueLocation {
  const pixel = Math.floor(index / img.channels);
  return { pixel, y: Math.floor(pixel / img.nx), x: pixel % img.nx, channel: index % img.channels };
}

/** One pass over the data: statistics and problem counts with their first locations. */
export function scanSpectra(img: SpectrumImage): SpectraScan {
  const { data, channels } = img;
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  let finite = 0;
  let nan = 0;
  let inf = 0;
  let neg = 0;
  let zero = 0;
  let firstNan = -1;
  let firstInf = -1;
  let firstNeg = -1;
  let firstZero = -1;
  const pixels = channels > 0 ? data.length / channels : 0;
  for (let p = 0; p < pixels; p++) {
    let allZero = true;
    const end = (p + 1) * channels;
    for (let i = p * channels; i < end; i++) {
      const v = data[i]!;
      if (v !== 0) allZero = false;
      if (v - v === 0) {
        finite++;
        total += v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v < 0 && neg++ === 0) firstNeg = i;
      } else if (v !== v) {
        if (nan++ === 0) firstNan = i;
      } else {
        if (inf++ === 0) firstInf = i;
      }
    }
    if (allZero && zero++ === 0) firstZero = p * channels;
  }
  const at = (count: number, index: number): Finding => ({ count, first: count > 0 ? locate(img, index) : null });
  return {
    values: data.length,
    min: finite ? min : NaN,
    max: finite ? max : NaN,
    mean: finite ? total / finite : NaN,
    total,
    nan: at(nan, firstNan),
    inf: at(inf, firstInf),
    negative: at(neg, firstNeg),
    zeroSpectra: at(zero, firstZero),
  };
}

/**
 * Throw a NonFiniteError (an InputError) at the first NaN or ±Inf, e.g.
 * "input.npy: pixel (12, 40) channel 17 is NaN (3 non-finite values in all)".
 * `what` names the data (default: meta.source, else 'input').
 */
export function assertFinite(img: SpectrumImage, what?: string): void {
  assertNoNonFinite(img, { ...(what === undefined ? {} : { what }), hint: null });
}
