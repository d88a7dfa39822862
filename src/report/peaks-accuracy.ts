// How close a peak fit came to a known truth (synthetic maps): per peak, the median and 95th
// percentile of |position error|, the median |FWHM error| and the median relative area error,
// over the pixels that converged. Browser-safe; `specmap demo` and bench/peaks.ts print these.
import type { MapSet } from '../data/types.js';
import { quantileSorted } from './range.js';

/** The q-quantile (0..1, linear interpolation) of the finite values; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(Array.from(values).filter(Number.isFinite)).sort(), q);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

export interface PeakAccuracy {
  peak: string;
  /** Pixels compared (converged, finite fit and truth). */
  pixels: number;
  positionMedian: number;
  positionP95: number;
  fwhmMedian: number;
  /** Median |area_fit / area_true - 1|. */
  areaRelMedian: number;
}

/**
 * Compare fitted maps with truth maps. `pairs` maps each fitted peak name to its truth name
 * (maps `<name>_position`, `_fwhm`, `_area` on both sides). Only pixels with converged = 1 count;
 * `pixels` restricts further (e.g. the subset a slow peer fitted).
 */
export function peakAccuracy(
  fit: MapSet,
  truth: MapSet,
  pairs: [string, string][],
  pixels?: ArrayLike<number>,
): PeakAccuracy[] {
  const converged = fit.converged?.data;
  const P = fit[`${pairs[0]![0]}_position`]?.data.length ?? 0;
  const idx = pixels ? Array.from(pixels) : Array.from({ length: P }, (_, p) => p);
  const use = idx.filter((p) => !converged || converged[p] === 1);
  return pairs.map(([f, t]) => {
    const get = (set: MapSet, name: string) => {
      const m = set[name];
      if (!m) throw new Error(`peakAccuracy: no map '${name}'`);
      return m.data;
    };
    const [fp, ff, fa] = [get(fit, `${f}_position`), get(fit, `${f}_fwhm`), get(fit, `${f}_area`)];
    const [tp, tf, ta] = [get(truth, `${t}_position`), get(truth, `${t}_fwhm`), get(truth, `${t}_area`)];
    const ok = use.filter((p) => Number.isFinite(fp[p]!) && Number.isFinite(tp[p]!));
    const dPos = ok.map((p) => Math.abs(fp[p]! - tp[p]!));
    return {
      peak: f,
      pixels: ok.length,
      positionMedian: median(dPos),
      positionP95: quantile(dPos, 0.95),
      fwhmMedian: median(ok.map((p) => Math.abs(ff[p]! - tf[p]!))),
      areaRelMedian: median(ok.map((p) => Math.abs(fa[p]! / ta[p]! - 1))),
    };
  });
}
