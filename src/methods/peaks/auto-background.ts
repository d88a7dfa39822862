// background 'auto': the Shirley step plus a flat part where the mean spectrum shows a step on the
// side the axis implies, the two linear ramps otherwise. The ramps fit the mean spectrum by the
// multi-start fit of init.ts; each step candidate fits it once, started from the ramps' peaks; the
// step is chosen when it raises the log-likelihood of the summed spectrum by more than AUTO_MARGIN
// over the ramps, which have as many free parameters.

import type { SpectrumImage } from '../../data/types.js';
import { assignByPosition } from './assign.js';
import { fitSpectrum, makeAxis } from './em.js';
import { fitMeanSpectrum } from './init.js';
import {
  resolvePeaks,
  type BackgroundComponent,
  type MeanSpectrumFit,
  type PeakFitOptions,
  type ResolvedPeaks,
} from './model.js';

/** Log-likelihood units (of the spectrum summed over the fitted pixels) the step must gain. */
export const AUTO_MARGIN = 10;

export const AUTO_RAMPS: BackgroundComponent[] = ['rampUp', 'rampDown'];

export interface BackgroundChoice {
  /** The components chosen. */
  background: BackgroundComponent[];
  /** One line: what was chosen and why. */
  reason: string;
  /** Each candidate (comma-joined) and the log-likelihood of the summed spectrum it reached. */
  loglik: Record<string, number>;
}

/** The kind of energy axis the unit names ('eV BE', 'binding energy (eV)', 'KE'), else a
 * descending axis as binding energy (how instruments that record it save it), else null. */
export function axisKind(image: Pick<SpectrumImage, 'energyUnit' | 'energy'>): 'binding' | 'kinetic' | null {
  const unit = image.energyUnit;
  if (/binding|\bB\.?E\b/i.test(unit)) return 'binding';
  if (/kinetic|\bK\.?E\b/i.test(unit)) return 'kinetic';
  const e = image.energy;
  return e.length > 1 && e[e.length - 1]! < e[0]! ? 'binding' : null;
}

/**
 * Choose the background for `options` (whose background is 'auto') from the mean spectrum `mean`
 * of `used` pixels: the Shirley step on the implied side ('shirley' for binding energy,
 * 'shirleyKE' for kinetic, both tried when the axis does not say) with 'uniform', or the ramps.
 * Returns the choice, its resolved model and its mean-spectrum fit (the pixels' start).
 */
export function chooseBackground(
  options: PeakFitOptions,
  image: Pick<SpectrumImage, 'energyUnit' | 'energy'>,
  mean: Float64Array,
  used: number,
): { choice: BackgroundChoice; m: ResolvedPeaks; fit: MeanSpectrumFit } {
  const kind = axisKind(image);
  const steps: BackgroundComponent[][] = [];
  if (kind !== 'kinetic') steps.push(['shirley', 'uniform']);
  if (kind !== 'binding') steps.push(['uniform', 'shirleyKE']);
  const resolve = (background: BackgroundComponent[]) => resolvePeaks({ ...options, background }, image.energy);
  const rampsModel = resolve(AUTO_RAMPS);
  const rampsFit = fitMeanSpectrum(rampsModel, image.energy, mean);
  const ramps = { background: AUTO_RAMPS, m: rampsModel, fit: rampsFit, ll: rampsFit.loglik * used };
  // A step candidate starts from the ramps' peaks, its background components sharing the ramps' weight.
  const seeded = (background: BackgroundComponent[]) => {
    const m = resolve(background);
    const p = rampsFit.params;
    const peaks = p.weight.slice(0, m.K);
    const rest = Math.max(0, 1 - peaks.reduce((a, b) => a + b, 0)) / m.background.length;
    const start = { position: p.position, sigma: p.sigma, weight: [...peaks, ...m.background.map(() => rest)] };
    const one = fitSpectrum(m, makeAxis(m, image.energy), mean, start, Math.max(m.maxIterations, 2000));
    const fit: MeanSpectrumFit = {
      ...one,
      params: assignByPosition(m, one.params),
      spectrum: mean,
      startLoglik: [one.loglik],
    };
    return { background, m, fit, ll: fit.loglik * used };
  };
  const tried = [ramps, ...steps.map(seeded)];
  const loglik = Object.fromEntries(tried.map((t) => [t.background.join(','), t.ll]));
  let best = ramps;
  for (const t of tried.slice(1)) if (t.ll > best.ll + AUTO_MARGIN) best = t;
  const fmt = (v: number) => String(+v.toPrecision(4));
  const side = (b: BackgroundComponent[]) =>
    b.includes('shirleyKE') ? 'towards lower energy (kinetic energy)' : 'towards higher energy (binding energy)';
  let reason: string;
  if (best !== ramps) {
    reason = `${best.background.join(',')}: the mean spectrum has a step rising ${side(best.background)} (log-likelihood +${fmt(best.ll - ramps.ll)} over ramps)`;
  } else {
    const sides = steps.map((b) => side(b)).join(' or ');
    const gain = Math.max(...tried.slice(1).map((t) => t.ll - ramps.ll));
    reason = `ramps: no step in the mean spectrum rising ${sides} (the Shirley step ${gain >= 0 ? `gains ${fmt(gain)}` : `loses ${fmt(-gain)}`} in log-likelihood, ${AUTO_MARGIN} needed)`;
  }
  return { choice: { background: best.background, reason, loglik }, m: best.m, fit: best.fit };
}
