// Histograms of map values (fitted positions, widths, residuals ...) as SVG.
import { displayRange } from './range.js';
import { frameSvg, makeFrame, padDomain, px } from './svg-frame.js';

export interface HistogramCounts {
  /** bins + 1 edges. */
  edges: Float64Array;
  counts: Float64Array;
  /** Finite values below the first edge / above the last. */
  below: number;
  above: number;
  nonFinite: number;
}

/** Count finite values into `bins` equal bins over [lo, hi] (the last bin includes hi). */
export function histogramCounts(values: ArrayLike<number>, bins: number, [lo, hi]: [number, number]): HistogramCounts {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins must be a positive integer, not ${bins}`);
  if (!(hi > lo)) throw new Error(`histogram: empty range [${lo}, ${hi}]`);
  const counts = new Float64Array(bins);
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  let below = 0;
  let above = 0;
  let nonFinite = 0;
  const k = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) nonFinite++;
    else if (v < lo) below++;
    else if (v > hi) above++;
    else counts[Math.min(bins - 1, Math.floor((v - lo) * k))]!++;
  }
  return { edges, counts, below, above, nonFinite };
}

export interface HistogramOptions {
  values: ArrayLike<number>;
  /** Default 40. */
  bins?: number;
  /** Default: the 0.5th to 99.5th percentile of the finite values (what falls outside is noted on the chart). */
  range?: [number, number];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  color?: string;
  logY?: boolean;
  width?: number;
  height?: number;
}

export function histogram(o: HistogramOptions): string {
  const range = o.range ?? displayRange(o.values, { lowPercentile: 0.5, highPercentile: 99.5 });
  const h = histogramCounts(o.values, o.bins ?? 40, range);
  const top = Math.max(1, ...h.counts);
  const yDomain: [number, number] = o.logY ? [0.5, top * 1.5] : [0, top * 1.08];
  const notes: string[] = [];
  if (h.below + h.above > 0) notes.push(`${h.below + h.above} outside the range shown`);
  if (h.nonFinite > 0) notes.push(`${h.nonFinite} NaN/Inf`);
  const frameOpts = {
    ...o,
    xDomain: padDomain(range, 0.02),
    yDomain,
    yLabel: o.yLabel ?? 'count',
    note: notes.join(', ') || undefined,
    yIntegers: true,
  };
  const f = makeFrame(frameOpts);
  const base = f.y(yDomain[0]);
  const bars: string[] = [];
  h.counts.forEach((c, i) => {
    if (c === 0) return;
    const x0 = f.x(h.edges[i]!);
    const x1 = f.x(h.edges[i + 1]!);
    const y = f.y(c);
    bars.push(
      `<rect x="${px(Math.min(x0, x1))}" y="${px(y)}" width="${px(Math.max(0.5, Math.abs(x1 - x0) - 0.6))}" height="${px(base - y)}"/>`,
    );
  });
  return frameSvg(f, frameOpts, `<g fill="${o.color ?? '#4e79a7'}">${bars.join('')}</g>`);
}
