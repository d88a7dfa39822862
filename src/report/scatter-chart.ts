// Scatter plots (one value against another per pixel) as SVG. SVG grows with every point, so a
// chart with a series over `maxPoints` points shows every stride-th point of each, and says so.
import { seriesColor } from './colormap.js';
import { extent, frameSvg, legend, makeFrame, padDomain, px, type ChartOptions, type XYSeries } from './svg-frame.js';

export type ScatterSeries = XYSeries;

export interface ScatterOptions extends ChartOptions {
  series: ScatterSeries[];
  /** Per series (default 4000). */
  maxPoints?: number;
}

export function scatterChart(o: ScatterOptions): string {
  if (o.series.length === 0) throw new Error('scatterChart: no series');
  const xDomain = o.xDomain ?? padDomain(extent(...o.series.map((s) => s.x)));
  const yDomain = o.yDomain ?? padDomain(extent(...o.series.map((s) => s.y)));
  const max = o.maxPoints ?? 4000;
  const stride = Math.max(1, ...o.series.map((s) => Math.ceil(s.x.length / max)));
  const thinned = stride > 1;
  // The note shares the title line, so the frame is laid out with it.
  const frameOpts = { ...o, xDomain, yDomain, note: thinned ? `1 in ${stride} points shown` : undefined };
  const f = makeFrame(frameOpts);
  const colors = o.series.map((s, i) => s.color ?? seriesColor(i));
  const body = o.series
    .map((s, i) => {
      if (s.x.length !== s.y.length)
        throw new Error(`scatterChart: series '${s.name}' has ${s.x.length} x values and ${s.y.length} y values`);
      const dots: string[] = [];
      for (let k = 0; k < s.x.length; k += stride) {
        const a = s.x[k]!;
        const b = s.y[k]!;
        if (a - a === 0 && b - b === 0) dots.push(`<circle cx="${px(f.x(a))}" cy="${px(f.y(b))}" r="2"/>`);
      }
      return `<g fill="${colors[i]}" fill-opacity="0.55">${dots.join('')}</g>`;
    })
    .join('');
  const overlay =
    o.series.length > 1
      ? legend(
          f,
          o.series.map((s, i) => ({ name: s.name, color: colors[i]!, square: true })),
        )
      : '';
  return frameSvg(f, frameOpts, body, overlay);
}
