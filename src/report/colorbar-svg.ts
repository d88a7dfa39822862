// Colour bars drawn inline as SVG (a gradient with tick labels), and swatch legends for label maps.
import { colormapLut, hexColor, labelColor, type ColormapName } from './colormap.js';
import { escapeXml } from './escape.js';
import { formatTicks, logTicks, niceTicks } from './ticks.js';
import { px } from './svg-frame.js';

export interface ColorbarTick {
  value: number;
  /** 0 (vmin end) .. 1 (vmax end). */
  position: number;
  label: string;
}

/** Round tick values inside [vmin, vmax] with their positions along the bar. */
export function colorbarTicks(vmin: number, vmax: number, { log = false, count = 5 } = {}): ColorbarTick[] {
  const values = log ? logTicks(vmin, vmax) : niceTicks(vmin, vmax, count);
  const labels = formatTicks(values);
  const pos = (v: number) => (log ? Math.log(v / vmin) / Math.log(vmax / vmin) : (v - vmin) / (vmax - vmin));
  return values
    .map((value, i) => ({ value, position: pos(value), label: labels[i]! }))
    .filter((t) => t.position >= -1e-9 && t.position <= 1 + 1e-9);
}

let gradientCounter = 0;

/** A horizontal colour bar: gradient, ticks and labels beneath, an optional label (unit) above. */
export function colorbarSvg(o: {
  vmin: number;
  vmax: number;
  colormap: ColormapName;
  log?: boolean;
  label?: string;
  width?: number;
}): string {
  const width = o.width ?? 256;
  const pad = 22; // room for half an end tick label such as "229.31"
  const barTop = o.label ? 18 : 4;
  const barH = 12;
  const lut = colormapLut(o.colormap);
  const stops: string[] = [];
  for (let i = 0; i <= 16; i++) {
    const k = Math.round((i / 16) * 255);
    stops.push(`<stop offset="${(i / 16).toFixed(4)}" stop-color="${hexColor(lut.subarray(k * 3, k * 3 + 3))}"/>`);
  }
  const id = `specmap-grad-${++gradientCounter}`;
  const inner = width - 2 * pad;
  const ticks = colorbarTicks(o.vmin, o.vmax, { log: o.log, count: Math.max(2, Math.round(inner / 60)) });
  const tickMarks = ticks
    .map((t) => {
      const x = px(pad + t.position * inner);
      return `<line x1="${x}" x2="${x}" y1="${barTop + barH}" y2="${barTop + barH + 4}" stroke="#555"/><text x="${x}" y="${barTop + barH + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`;
    })
    .join('');
  const height = barTop + barH + 22;
  const label = o.label ? `<text x="${width / 2}" y="12" text-anchor="middle">${escapeXml(o.label)}</text>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" fill="#333">` +
    `<defs><linearGradient id="${id}">${stops.join('')}</linearGradient></defs>${label}` +
    `<rect x="${pad}" y="${barTop}" width="${inner}" height="${barH}" fill="url(#${id})" stroke="#999" stroke-width="0.5"/>${tickMarks}</svg>`
  );
}

/** Swatches for a label map: colour k beside names[k] (wrapping into rows). */
export function labelLegendSvg(names: string[], { width = 256 }: { width?: number } = {}): string {
  const colW = Math.max(60, Math.min(width, 24 + Math.max(...names.map((n) => n.length)) * 6.5));
  const perRow = Math.max(1, Math.floor(width / colW));
  const rows = Math.ceil(names.length / perRow);
  const items = names.map((n, k) => {
    const x = (k % perRow) * colW;
    const y = Math.floor(k / perRow) * 18 + 4;
    return `<rect x="${px(x)}" y="${y}" width="12" height="12" fill="${hexColor(labelColor(k))}"/><text x="${px(x + 17)}" y="${y + 6}" dy="0.35em">${escapeXml(n)}</text>`;
  });
  const height = rows * 18 + 6;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" fill="#333">${items.join('')}</svg>`;
}
