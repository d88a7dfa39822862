// Spectra, fitted components and residuals on one set of axes (SVG).
import { seriesColor } from './colormap.js';
import {
  extent,
  frameSvg,
  legend,
  makeFrame,
  padDomain,
  px,
  type ChartOptions,
  type Frame,
  type XYSeries,
} from './svg-frame.js';

export interface Series extends XYSeries {
  dashed?: boolean;
  /** Draw markers instead of a line (measured data under a fit). */
  points?: boolean;
  lineWidth?: number;
}

export interface LineChartOptions extends ChartOptions {
  series: Series[];
  /** Default true when there is more than one series. */
  legend?: boolean;
  /** Horizontal reference lines at these y values (0 under residuals). */
  hRules?: number[];
  /** Logarithmic y axis (a loss curve spanning decades); non-positive values are left out. */
  logY?: boolean;
}

/** The y range of positive values, widened by 10 % on a log scale each way. */
function logDomain(series: XYSeries[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i]!;
      if (v > 0 && v < Infinity) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!(lo <= hi)) return [0.1, 1];
  return lo === hi ? [lo / 2, hi * 2] : [lo / 1.1, hi * 1.1];
}

/** An SVG path through the finite points; a NaN/Inf starts a new piece. */
function linePath(f: Frame, x: ArrayLike<number>, y: ArrayLike<number>): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (a - a !== 0 || b - b !== 0 || (f.logY && !(b > 0))) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(f.x(a))} ${px(f.y(b))}`;
    pen = true;
  }
  return d;
}

/** Up to ~1000 finite points per series in screen coordinates (x, y pairs): where the data lie, for the legend. */
function screenPoints(f: Frame, series: XYSeries[]): number[] {
  const out: number[] = [];
  for (const s of series) {
    const step = Math.max(1, Math.ceil(s.x.length / 1000));
    for (let k = 0; k < s.x.length; k += step) {
      const a = s.x[k]!;
      const b = s.y[k]!;
      if (a - a === 0 && b - b === 0 && (!f.logY || b > 0)) out.push(f.x(a), f.y(b));
    }
  }
  return out;
}

export function lineChart(o: LineChartOptions): string {
  if (o.series.length === 0) throw new Error('lineChart: no series');
  o.series.forEach((s) => {
    if (s.x.length !== s.y.length)
      throw new Error(`lineChart: series '${s.name}' has ${s.x.length} x values and ${s.y.length} y values`);
  });
  const xDomain = o.xDomain ?? padDomain(extent(...o.series.map((s) => s.x)), 0);
  const yDomain = o.yDomain ?? (o.logY ? logDomain(o.series) : padDomain(extent(...o.series.map((s) => s.y))));
  const frameOpts = { ...o, xDomain, yDomain };
  const f = makeFrame(frameOpts);
  const colors = o.series.map((s, i) => s.color ?? seriesColor(i));
  const body = o.series
    .map((s, i) => {
      if (s.points) {
        const r = 2.2;
        const dots: string[] = [];
        for (let k = 0; k < s.x.length; k++) {
          const a = s.x[k]!;
          const b = s.y[k]!;
          if (a - a === 0 && b - b === 0 && (!o.logY || b > 0))
            dots.push(`<circle cx="${px(f.x(a))}" cy="${px(f.y(b))}" r="${r}"/>`);
        }
        return `<g fill="${colors[i]}" fill-opacity="0.75">${dots.join('')}</g>`;
      }
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      return `<path d="${linePath(f, s.x, s.y)}" fill="none" stroke="${colors[i]}" stroke-width="${s.lineWidth ?? 1.6}" stroke-linejoin="round"${dash}/>`;
    })
    .join('');
  const rules = (o.hRules ?? [])
    .map(
      (v) =>
        `<line x1="${f.left}" x2="${f.right}" y1="${px(f.y(v))}" y2="${px(f.y(v))}" stroke="#888" stroke-dasharray="3 3"/>`,
    )
    .join('');
  const showLegend = o.legend ?? o.series.length > 1;
  const overlay = showLegend
    ? legend(
        f,
        o.series.map((s, i) => ({ name: s.name, color: colors[i]!, dashed: s.dashed, square: s.points })),
        screenPoints(f, o.series),
      )
    : '';
  return frameSvg(f, frameOpts, rules + body, overlay);
}
