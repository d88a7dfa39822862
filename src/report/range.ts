// Display ranges for maps: robust percentiles that ignore NaN/Inf and a few hot pixels.

/** Up to `limit` finite values of `values` (a strided sample when there are more), sorted. */
function sortedSample(values: ArrayLike<number>, limit: number, positiveOnly: boolean): Float64Array {
  const stride = Math.max(1, Math.floor(values.length / limit));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i]!;
    if (v - v === 0 && (!positiveOnly || v > 0)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** The q-quantile (0..1) of sorted values, linearly interpolated (NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface RangeOptions {
  vmin?: number;
  vmax?: number;
  /** Percentiles for the robust default (default 1 and 99). */
  lowPercentile?: number;
  highPercentile?: number;
  /** Log colour scale: only positive values count. */
  log?: boolean;
}

/**
 * [vmin, vmax] for display: the given bounds, else the 1st and 99th percentiles of the finite
 * values (of a ≤ 2^20-value strided sample on big maps). Never empty: a constant map gets ±0.5
 * (×/÷ 10 on a log scale) around its value; a map without finite values gets [0, 1].
 */
export function displayRange(values: ArrayLike<number>, opts: RangeOptions = {}): [number, number] {
  let { vmin, vmax } = opts;
  if (vmin === undefined || vmax === undefined) {
    const s = sortedSample(values, 1 << 20, opts.log === true);
    vmin ??= quantileSorted(s, (opts.lowPercentile ?? 1) / 100);
    vmax ??= quantileSorted(s, (opts.highPercentile ?? 99) / 100);
  }
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) return opts.log ? [1, 10] : [0, 1];
  if (vmax <= vmin) {
    const c = vmin;
    return opts.log ? [c / 10, c * 10] : [c - 0.5, c + 0.5];
  }
  return [vmin, vmax];
}
