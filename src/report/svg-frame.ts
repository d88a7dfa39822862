// The frame every SVG chart shares: plot area, linear (or log-y) scales, ticks, grid, axis labels.
import { escapeXml } from './escape.js';
import { formatTicks, logTicks, niceTicks } from './ticks.js';

export interface FrameOptions {
  width?: number;
  height?: number;
  xDomain: [number, number];
  yDomain: [number, number];
  /** Draw x decreasing to the right (binding energy in XPS). */
  reverseX?: boolean;
  logY?: boolean;
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** A short grey note under the title ('12 outside the range shown'). */
  note?: string;
  /** Categorical x ticks (bar charts) instead of numeric ones. */
  xCategories?: { at: number; label: string }[];
  /** y counts things: whole-number ticks only (no '0.5' on a histogram of a few pixels). */
  yIntegers?: boolean;
}

/** Points (x[i], y[i]) with a name for the legend. */
export interface XYSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour (default: the palette in series order). */
  color?: string;
}

/**
 * True where an axis runs downwards (its last value below its first): spectra are then drawn with
 * x decreasing to the right, in the order the instrument recorded them (binding energy in XPS).
 */
export function descendingAxis(x: ArrayLike<number>): boolean {
  return x.length > 1 && x[x.length - 1]! < x[0]!;
}

/** What line and scatter charts share: labels, size, and optional fixed domains. */
export interface ChartOptions {
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** x decreasing to the right (binding energy). */
  reverseX?: boolean;
  width?: number;
  height?: number;
  xDomain?: [number, number];
  yDomain?: [number, number];
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  x(v: number): number;
  y(v: number): number;
  /** Id of a clipPath for the plot area (unique within a page). */
  clipId: string;
  /** The y scale is logarithmic (only positive values can be drawn). */
  logY: boolean;
}

const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12" fill="#333"`;
let clipCounter = 0;

/** Smallest and largest finite value over arrays ([NaN, NaN] when none). */
export function extent(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v - v !== 0) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** Widen a domain by `frac` of its span on each side; a point or empty domain becomes a usable one. */
export function padDomain([a, b]: [number, number], frac = 0.05): [number, number] {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [0, 1];
  if (a === b) return [a - (Math.abs(a) || 1) * 0.5, b + (Math.abs(b) || 1) * 0.5];
  const d = (b - a) * frac;
  return [a - d, b + d];
}

/** f(v) (2 decimals) for SVG coordinates. */
export const px = (v: number) => (Math.round(v * 100) / 100).toString();

export function makeFrame(o: FrameOptions): Frame {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const left = o.yLabel ? 70 : 56;
  const top = o.title && o.note ? 48 : o.title || o.note ? 34 : 14;
  const right = width - 16;
  const bottom = height - (o.xLabel ? 46 : 30);
  const [x0, x1] = o.xDomain;
  const [y0, y1] = o.logY ? [Math.log10(o.yDomain[0]), Math.log10(o.yDomain[1])] : o.yDomain;
  const x = (v: number) =>
    o.reverseX ? right - ((v - x0) / (x1 - x0)) * (right - left) : left + ((v - x0) / (x1 - x0)) * (right - left);
  const y = (v: number) => bottom - (((o.logY ? Math.log10(v) : v) - y0) / (y1 - y0)) * (bottom - top);
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    x,
    y,
    clipId: `specmap-clip-${++clipCounter}`,
    logY: o.logY === true,
  };
}

/** Grid lines, tick labels, axis labels and title. */
function axes(f: Frame, o: FrameOptions): string {
  const parts: string[] = [];
  const xt =
    o.xCategories ??
    (() => {
      const t = niceTicks(o.xDomain[0], o.xDomain[1], Math.max(2, Math.round((f.right - f.left) / 90)));
      const labels = formatTicks(t);
      return t.map((v, i) => ({ at: v, label: labels[i]! }));
    })();
  for (const { at, label } of xt) {
    const X = px(f.x(at));
    if (!o.xCategories) parts.push(`<line x1="${X}" x2="${X}" y1="${f.top}" y2="${f.bottom}" stroke="#ececec"/>`);
    parts.push(`<line x1="${X}" x2="${X}" y1="${f.bottom}" y2="${f.bottom + 4}" stroke="#666"/>`);
    parts.push(`<text x="${X}" y="${f.bottom + 17}" text-anchor="middle">${escapeXml(label)}</text>`);
  }
  const yAll = o.logY
    ? logTicks(o.yDomain[0], o.yDomain[1])
    : niceTicks(o.yDomain[0], o.yDomain[1], Math.max(2, Math.round((f.bottom - f.top) / 60)));
  const yv = o.yIntegers ? yAll.filter((v) => Number.isInteger(v)) : yAll;
  const yl = formatTicks(yv);
  yv.forEach((v, i) => {
    const Y = px(f.y(v));
    parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${Y}" y2="${Y}" stroke="#ececec"/>`);
    parts.push(`<text x="${f.left - 7}" y="${Y}" dy="0.35em" text-anchor="end">${escapeXml(yl[i]!)}</text>`);
  });
  parts.push(
    `<rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#999"/>`,
  );
  if (o.xLabel)
    parts.push(
      `<text x="${px((f.left + f.right) / 2)}" y="${f.height - 10}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    );
  if (o.yLabel) {
    const cy = px((f.top + f.bottom) / 2);
    parts.push(`<text transform="translate(16 ${cy}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  }
  if (o.title) parts.push(`<text x="${f.left}" y="20" font-weight="600" font-size="13">${escapeXml(o.title)}</text>`);
  if (o.note)
    parts.push(`<text x="${f.left}" y="${o.title ? 37 : 20}" fill="#666" font-size="11">${escapeXml(o.note)}</text>`);
  return parts.join('');
}

/** A complete <svg> of the frame with `body` (already in data coordinates via f.x/f.y) clipped to the plot area. */
export function frameSvg(f: Frame, o: FrameOptions, body: string, overlay = ''): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" ${FONT}>` +
    `<defs><clipPath id="${f.clipId}"><rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}"/></clipPath></defs>` +
    `<rect width="${f.width}" height="${f.height}" fill="#fff"/>` +
    axes(f, o) +
    `<g clip-path="url(#${f.clipId})">${body}</g>` +
    overlay +
    '</svg>'
  );
}

/** A legend box in the plot's top-right corner: one row per entry with a line or square swatch. */
/**
 * The legend box, in the plot corner that hides the fewest of `points` (screen x, y pairs; ties
 * and no points: top right), so it does not sit on the data.
 */
export function legend(
  f: Frame,
  entries: { name: string; color: string; dashed?: boolean; square?: boolean }[],
  points?: ArrayLike<number>,
): string {
  if (entries.length === 0) return '';
  const w = 36 + Math.max(...entries.map((e) => e.name.length)) * 7.2;
  const h = entries.length * 17 + 7;
  const corners: [number, number][] = [
    [f.right - w - 8, f.top + 8],
    [f.left + 8, f.top + 8],
    [f.right - w - 8, f.bottom - h - 8],
    [f.left + 8, f.bottom - h - 8],
  ];
  let [x, y] = corners[0]!;
  let fewest = Infinity;
  for (const [cx, cy] of points && points.length > 0 ? corners : []) {
    let n = 0;
    for (let i = 0; i + 1 < points!.length; i += 2) {
      const a = points![i]!;
      const b = points![i + 1]!;
      if (a >= cx && a <= cx + w && b >= cy && b <= cy + h) n++;
    }
    if (n < fewest) [fewest, x, y] = [n, cx, cy];
  }
  const rows = entries.map((e, i) => {
    const cy = y + 12 + i * 17;
    const swatch = e.square
      ? `<rect x="${px(x + 8)}" y="${cy - 5}" width="14" height="10" fill="${e.color}"/>`
      : `<line x1="${px(x + 6)}" x2="${px(x + 24)}" y1="${cy}" y2="${cy}" stroke="${e.color}" stroke-width="2"${e.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    return `${swatch}<text x="${px(x + 30)}" y="${cy}" dy="0.35em">${escapeXml(e.name)}</text>`;
  });
  return `<g><rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${h}" fill="#fff" fill-opacity="0.85" stroke="#ddd" rx="3"/>${rows.join('')}</g>`;
}
