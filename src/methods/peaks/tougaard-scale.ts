// Checks of Tougaard's C against the energy axis' unit. C (default 1643) is in the axis' unit squared,
// the universal value in eV²; the command line cannot tell a keV axis saved as a bare .npy from an eV
// one, and on a keV axis read as eV the window (0.014 "eV" for a 14 eV Mo 3d window) is far shorter
// than the losses at which the cross-section T / (C + T²)² peaks (T = √(C/3), 23.4 eV): the fit still
// runs, with a background whose shape no longer depends on C. So the command line says so: for an
// axis labelled keV with the default C, for no energy axis at all, and for a window under 5 % of √(C/3).
import type { SpectrumImage } from '../../data/types.js';
import { TOUGAARD_C } from './components.js';
import type { BackgroundComponent } from './model.js';
import { libraryName } from '../contract.js';

/** A window shorter than this share of √(C/3), the loss where the cross-section peaks, is named. */
const SHORT_SHARE = 0.05;

/** One warning line when the axis' unit and C do not go together (none otherwise). `tougaardC` is the
 *  tougaardC given (undefined: the default). */
export function tougaardScaleWarnings(
  image: SpectrumImage,
  background: readonly BackgroundComponent[] | undefined,
  tougaardC: number | undefined,
  name: (option: string) => string = libraryName,
): string[] {
  const side = background?.find((b) => b === 'tougaard' || b === 'tougaardKE');
  if (!side) return [];
  const c = tougaardC ?? TOUGAARD_C;
  const head = `${name('background')} ${side}: `;
  const unit = image.energyUnit;
  if (unit === 'channel')
    return [
      `${head}no energy axis was given (${name('energy')}): C = ${fmt(c)} eV² is applied to the channel index as if it were eV`,
    ];
  if (unit === 'keV' && tougaardC === undefined) {
    return [
      `${head}the energy axis is in keV, but C = ${fmt(c)} is the universal value in eV²: pass ${name('tougaardC')} ${fmt(c * 1e-6)} (C in keV²) or give the axis in eV`,
    ];
  }
  const n = image.channels;
  const span = Math.abs(image.energy[n - 1]! - image.energy[0]!);
  const peakLoss = Math.sqrt(c / 3);
  if (n >= 2 && span < SHORT_SHARE * peakLoss) {
    const keV =
      unit === 'eV'
        ? `; if the axis is in keV, give it in eV (× 1000) or pass ${name('tougaardC')} ${fmt(c * 1e-6)} (C in keV²)`
        : unit === 'keV'
          ? `; the universal value in keV² is ${fmt(TOUGAARD_C * 1e-6)} (${name('tougaardC')} ${fmt(TOUGAARD_C * 1e-6)})`
          : '';
    return [
      `${head}the energy axis spans only ${fmt(span)} ${unit}, under ${100 * SHORT_SHARE} % of the loss √(C/3) = ${fmt(peakLoss)} ${unit} at which ` +
        `Tougaard's cross-section peaks for C = ${fmt(c)} ${unit}²: across so short a window the background's shape no longer depends on C${keV}`,
    ];
  }
  return [];
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}
