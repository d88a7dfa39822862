// Bar charts of a few named quantities (class fractions, per-component totals) as SVG.
import { seriesColor } from './colormap.js';
import { frameSvg, makeFrame, px } from './svg-frame.js';

export interface BarChartOptions {
  labels: string[];
  values: ArrayLike<number>;
  /** One CSS colour per bar (default: the series palette, which matches label-map colours). */
  colors?: string[];
  yLabel?: string;
  xLabel?: string;
  title?: string;
  width?: number;
  height?: number;
}

export function barChart(o: BarChartOptions): string {
  const n = o.labels.length;
  if (n === 0 || o.values.length !== n) throw new Error(`barChart: ${n} labels and ${o.values.length} values`);
  const vals = Array.from(o.values, (v) => (Number.isFinite(v) ? v : 0));
  const lo = Math.min(0, ...vals);
  const hi = Math.max(0, ...vals);
  const frameOpts = {
    ...o,
    xDomain: [-0.5, n - 0.5] as [number, number],
    yDomain: [lo * 1.08, hi === lo ? 1 : hi * 1.08] as [number, number],
    xCategories: o.labels.map((label, i) => ({ at: i, label })),
  };
  const f = makeFrame(frameOpts);
  const w = ((f.right - f.left) / n) * 0.7;
  const zero = f.y(0);
  const bars = vals.map((v, i) => {
    const y = f.y(v);
    return `<rect x="${px(f.x(i) - w / 2)}" y="${px(Math.min(y, zero))}" width="${px(w)}" height="${px(Math.abs(zero - y))}" fill="${o.colors?.[i] ?? seriesColor(i)}"/>`;
  });
  return frameSvg(f, frameOpts, bars.join(''));
}
