// `--channels E0:E1`: the channels whose energy lies in [E0, E1] (nmf fits only those; fit crops
// the spectra to them).
import { makeSpectrumImage, type SpectrumImage } from '../data/types.js';
import { InputError } from '../engine/errors.js';

export const CHANNELS_USAGE = '  --channels E0:E1     use only channels with energy in [E0, E1] (in the axis unit)';

/** 1 for each channel in the window, else 0; refused when the text is no window or selects no channel. */
export function energyWindowMask(text: string, img: SpectrumImage): Uint8Array {
  const m = /^\s*(-?[\d.eE+-]+)\s*:\s*(-?[\d.eE+-]+)\s*$/.exec(text);
  const e0 = m ? Number(m[1]) : NaN;
  const e1 = m ? Number(m[2]) : NaN;
  if (!Number.isFinite(e0) || !Number.isFinite(e1) || e0 > e1)
    throw new InputError(`--channels must be E0:E1 with E0 <= E1, not '${text}'`);
  const mask = Uint8Array.from(img.energy, (e) => (e >= e0 && e <= e1 ? 1 : 0));
  if (!mask.includes(1)) {
    const n = img.channels;
    throw new InputError(
      `--channels ${text} selects no channel: the energy axis runs ${img.energy[0]} … ${img.energy[n - 1]} ${img.energyUnit}`,
    );
  }
  return mask;
}

/** The image with only the channels in the window (contiguous: the axis is monotonic). */
export function cropToEnergyWindow(img: SpectrumImage, text: string): SpectrumImage {
  const mask = energyWindowMask(text, img);
  const lo = mask.indexOf(1);
  const hi = mask.lastIndexOf(1) + 1;
  const C = img.channels;
  const n = hi - lo;
  const P = img.ny * img.nx;
  const data = new Float32Array(P * n);
  for (let p = 0; p < P; p++) data.set(img.data.subarray(p * C + lo, p * C + hi), p * n);
  return makeSpectrumImage(data, img.ny, img.nx, n, img.energy.slice(lo, hi), {
    energyUnit: img.energyUnit,
    layout: img.layout,
    meta: { ...img.meta, channelWindow: { text, first: lo, last: hi - 1, of: C } },
  });
}
