// Checks of the Shirley step against the data: 'shirley' puts the step on the high-energy side of
// the peaks (binding energy), 'shirleyKE' on the low-energy side (kinetic energy), and the step is
// zero on the other side. Given the wrong side, or no flat part where the data have one, the fit
// still converges, to wide peaks that take up what the background cannot (a 1 eV Mo 3d map fitted
// with shirleyKE on a binding-energy axis gives FWHM 10 eV), so the command line says so.
// Tougaard's background ('tougaard' / 'tougaardKE') has the same sides (its losses pile up on the
// high-binding-energy side of the peaks and it is ~0 at the other end of the window): the same checks.
import type { SpectrumImage } from '../../data/types.js';
import type { BackgroundComponent } from './model.js';
import { libraryName } from '../contract.js';

/** Share of the channels at each end of the window whose mean levels are compared. */
const END_SHARE = 0.1;
/** The wrong end must be higher by this share of the right one, and by 3 standard errors. */
const MARGIN = 0.05;
/** With the Shirley step alone, its step-free end may hold up to this share of the mean spectrum's
 *  maximum (and 3 standard errors) before the fit is refused for its missing flat part. */
const FLAT_SHARE = 0.01;

/** The mean spectrum's level over the outer END_SHARE of channels at each end, by energy value. */
interface Ends {
  low: { mean: number; se: number };
  high: { mean: number; se: number };
  /** The energy ranges of those channels, as text ('225–226.3 eV'). */
  lowRange: string;
  highRange: string;
  /** The mean spectrum's largest value. */
  peak: number;
}

function ends(image: SpectrumImage): Ends | null {
  const C = image.channels;
  const n = image.ny * image.nx;
  const w = Math.max(2, Math.round(END_SHARE * C));
  if (C < 2 * w + 1 || n === 0) return null;
  const mean = new Float64Array(C);
  for (let p = 0; p < n; p++) for (let c = 0; c < C; c++) mean[c] += image.data[p * C + c]! / n;
  // Ends by energy value, whichever way the axis runs.
  const ascending = image.energy[C - 1]! > image.energy[0]!;
  const first = level(mean, 0, w);
  const last = level(mean, C - w, C);
  const unit = image.energyUnit === 'channel' ? '' : ` ${image.energyUnit}`;
  const range = (a: number, b: number) => `${fmt(image.energy[a]!)}–${fmt(image.energy[b]!)}${unit}`;
  const [lowRange, highRange] = ascending
    ? [range(0, w - 1), range(C - w, C - 1)]
    : [range(C - 1, C - w), range(w - 1, 0)];
  return {
    low: ascending ? first : last,
    high: ascending ? last : first,
    lowRange,
    highRange,
    peak: mean.reduce((a, b) => Math.max(a, b), -Infinity),
  };
}

/** The inelastic background components: whether their losses lie towards higher energy, their mirror
 * image, and what the messages call them. */
const SIDES = {
  shirley: { high: true, other: 'shirleyKE', noun: 'step' },
  shirleyKE: { high: false, other: 'shirley', noun: 'step' },
  tougaard: { high: true, other: 'tougaardKE', noun: 'Tougaard background' },
  tougaardKE: { high: false, other: 'tougaard', noun: 'Tougaard background' },
} as const;
type Inelastic = keyof typeof SIDES;

/**
 * Warning lines about the Shirley step or the Tougaard background against the data (none when it
 * fits, or the background has neither): the mean spectrum is clearly higher at the end where the
 * chosen orientation puts no step.
 */
export function inelasticSideWarnings(
  image: SpectrumImage,
  background: readonly BackgroundComponent[] | undefined,
  name: (option: string) => string = libraryName,
): string[] {
  const side = (background?.find((b) => b in SIDES) ?? null) as Inelastic | null;
  const e = side && ends(image);
  if (!side || !e) return [];
  const { high, other, noun } = SIDES[side];
  // 'shirley' / 'tougaard' expect the high-energy end above the low one; the KE forms the reverse.
  const [stepEnd, flatEnd] = high ? [e.high, e.low] : [e.low, e.high];
  const [stepRange, flatRange] = high ? [e.highRange, e.lowRange] : [e.lowRange, e.highRange];
  const excess = flatEnd.mean - stepEnd.mean;
  if (excess > MARGIN * Math.abs(stepEnd.mean) && excess > 3 * Math.hypot(stepEnd.se, flatEnd.se)) {
    const where = high ? 'high-energy side (binding energy)' : 'low-energy side (kinetic energy)';
    return [
      `${name('background')} ${side} puts the ${noun} on the ${where}, but the mean spectrum is lower there ` +
        `(${fmt(stepEnd.mean)} at ${stepRange} vs ${fmt(flatEnd.mean)} at ${flatRange}): the peaks may widen to absorb the ${noun}; ` +
        `if the axis is ${high ? 'kinetic' : 'binding'} energy, use ${other}`,
    ];
  }
  return [];
}

/**
 * The Shirley step or Tougaard background as the only background, where the mean spectrum's
 * step-free end is clearly above zero: the model has nothing for that level but the peaks, which
 * widen (a flat 40-count background under a 1.2 eV peak was fitted as FWHM 7.3 eV with 'shirley'
 * alone), so the fit is refused with this line (null when the data have no such level).
 */
export function missingFlatPartError(
  image: SpectrumImage,
  background: readonly BackgroundComponent[] | undefined,
  name: (option: string) => string = libraryName,
): string | null {
  const sides = (background ?? []).filter((b) => b in SIDES) as Inelastic[];
  // Two inelastic components, or any other component, are not this case (the model names the former).
  if (sides.length !== 1 || background!.length !== 1) return null;
  const side = sides[0]!;
  const e = ends(image);
  if (!e) return null;
  const { high, noun } = SIDES[side];
  const flatEnd = high ? e.low : e.high;
  const flatRange = high ? e.lowRange : e.highRange;
  if (!(flatEnd.mean > FLAT_SHARE * e.peak && flatEnd.mean > 3 * flatEnd.se)) return null;
  return (
    `${name('background')} ${side} alone is ${noun === 'step' ? 'zero' : '~0'} on the ${high ? 'low' : 'high'}-energy side of the peaks, ` +
    `but the mean spectrum is ${fmt(flatEnd.mean)} at ${flatRange} (${fmt((100 * flatEnd.mean) / e.peak)} % of its maximum): ` +
    `only the peaks could take it up, and they would widen; use ${name('background')} ${side},uniform (or auto)`
  );
}

/** Mean of mean[a..b) and its standard error from the spread of those channels. */
function level(mean: Float64Array, a: number, b: number): { mean: number; se: number } {
  const m = b - a;
  let s = 0;
  for (let c = a; c < b; c++) s += mean[c]!;
  const mu = s / m;
  let v = 0;
  for (let c = a; c < b; c++) v += (mean[c]! - mu) ** 2;
  return { mean: mu, se: Math.sqrt(v / (m - 1) / m) };
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}
