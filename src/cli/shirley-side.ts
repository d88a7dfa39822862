// A check of the Shirley step's side against the data: 'shirley' puts the step on the high-energy
// side of the peaks (binding energy), 'shirleyKE' on the low-energy side (kinetic energy). Given the
// wrong one, the fit still converges, to wide peaks that absorb the step (a 1 eV Mo 3d map fitted
// with shirleyKE on a binding-energy axis gives FWHM 10 eV), so the command line says so.
import type { SpectrumImage } from '../data/types.js';
import type { BackgroundComponent } from '../methods/peaks/model.js';

/** Share of the channels at each end of the window whose mean levels are compared. */
const END_SHARE = 0.1;
/** The wrong end must be higher by this share of the right one, and by 3 standard errors. */
const MARGIN = 0.05;

/**
 * A warning line when the mean spectrum is clearly higher at the end of the window where the chosen
 * Shirley orientation puts no step; null when it fits (or the background has no Shirley step).
 */
export function shirleySideWarning(image: SpectrumImage, background: readonly BackgroundComponent[] | undefined): string | null {
  const side = background?.includes('shirley') ? 'shirley' : background?.includes('shirleyKE') ? 'shirleyKE' : null;
  const C = image.channels;
  const n = image.ny * image.nx;
  const w = Math.max(2, Math.round(END_SHARE * C));
  if (!side || C < 2 * w + 1 || n === 0) return null;
  const mean = new Float64Array(C);
  for (let p = 0; p < n; p++) for (let c = 0; c < C; c++) mean[c] += image.data[p * C + c]! / n;
  // Ends by energy value, whichever way the axis runs.
  const ascending = image.energy[C - 1]! > image.energy[0]!;
  const first = level(mean, 0, w);
  const last = level(mean, C - w, C);
  const [low, high] = ascending ? [first, last] : [last, first];
  // 'shirley' expects the high-energy end above the low one; 'shirleyKE' the reverse.
  const [stepEnd, flatEnd] = side === 'shirley' ? [high, low] : [low, high];
  const excess = flatEnd.mean - stepEnd.mean;
  if (!(excess > MARGIN * Math.abs(stepEnd.mean) && excess > 3 * Math.hypot(stepEnd.se, flatEnd.se))) return null;
  const unit = image.energyUnit === 'channel' ? '' : ` ${image.energyUnit}`;
  const range = (a: number, b: number) => `${fmt(image.energy[a]!)}–${fmt(image.energy[b]!)}${unit}`;
  const [lowRange, highRange] = ascending ? [range(0, w - 1), range(C - w, C - 1)] : [range(C - 1, C - w), range(w - 1, 0)];
  const [stepRange, flatRange] = side === 'shirley' ? [highRange, lowRange] : [lowRange, highRange];
  const other = side === 'shirley' ? 'shirleyKE' : 'shirley';
  const where = side === 'shirley' ? 'high-energy side (binding energy)' : 'low-energy side (kinetic energy)';
  return (
    `specmap: warning: --background ${side} puts the step on the ${where}, but the mean spectrum is lower there ` +
    `(${fmt(stepEnd.mean)} at ${stepRange} vs ${fmt(flatEnd.mean)} at ${flatRange}): the peaks may widen to absorb the step; ` +
    `if the axis is ${side === 'shirley' ? 'kinetic' : 'binding'} energy, use ${other}`
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
