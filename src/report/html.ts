// A self-contained HTML report: one index.html, images inline as data URIs (or referenced files),
// tables, figures, escaped text, one small stylesheet. Browser-safe: returns strings.
import { formatNumber } from './format-number.js';
import { colorbarSvg } from './colorbar-svg.js';
import { escapeXml } from './escape.js';
import type { RenderedMap } from './map-png.js';
import { REPORT_CSS } from './report-css.js';

/** Markup that is already safe; plain strings given to the builders are escaped. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type Content = Html | string | number | null | undefined | false | Content[];

/** Markup of content: strings escaped, numbers to 6 significant digits, arrays concatenated, null/false dropped. */
export function render(c: Content): string {
  if (c === null || c === undefined || c === false) return '';
  if (c instanceof Html) return c.html;
  if (Array.isArray(c)) return c.map(render).join('');
  if (typeof c === 'number') return escapeXml(formatNumber(c, 6));
  return escapeXml(c);
}

export function paragraph(...content: Content[]): Html {
  return new Html(`<p>${render(content)}</p>`);
}

/** Trusted SVG markup (from this folder's chart helpers). */
export function svgBlock(svg: string): Html {
  return new Html(`<div class="svg">${svg}</div>`);
}

/** base64 of bytes, without Node's Buffer (browser-safe). */
export function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function dataUri(bytes: Uint8Array, mime = 'image/png'): string {
  return `data:${mime};base64,${base64(bytes)}`;
}

/** An image: PNG bytes are embedded as a data URI; a string is a path relative to the page. */
export function image(
  src: Uint8Array | string,
  { alt = '', width, pixelated = false }: { alt?: string; width?: number; pixelated?: boolean } = {},
): Html {
  const url = typeof src === 'string' ? src : dataUri(src);
  const w = width ? ` width="${width}"` : '';
  return new Html(`<img src="${escapeXml(url)}" alt="${escapeXml(alt)}"${w}${pixelated ? ' class="pixelated"' : ''}>`);
}

export function figure(content: Content, caption?: Content): Html {
  return new Html(`<figure>${render(content)}${caption ? `<figcaption>${render(caption)}</figcaption>` : ''}</figure>`);
}

/**
 * A map with its title, colour bar (made from the rendered range; none for label maps, pass a
 * legend instead) and caption. `map` is renderMap's result, or PNG bytes / a file path.
 */
/** Narrowest colour bar (px) that still shows three tick labels and a unit. */
const MIN_COLORBAR_WIDTH = 200;

export function mapFigure(o: {
  title: string;
  map: RenderedMap | Uint8Array | string;
  unit?: string;
  legend?: string;
  caption?: Content;
  href?: string;
}): Html {
  const r = o.map instanceof Uint8Array || typeof o.map === 'string' ? null : o.map;
  const img = image(r ? (o.href ?? r.png) : (o.map as Uint8Array | string), {
    alt: o.title,
    width: r ? Math.min(r.width, 360) : undefined,
    pixelated: true,
  });
  const bar =
    o.legend ??
    (r && r.colormap !== 'labels'
      ? // As wide as the map, but never too narrow for its tick labels (a line scan is 1 pixel wide).
        colorbarSvg({
          vmin: r.vmin,
          vmax: r.vmax,
          colormap: r.colormap,
          log: r.log,
          label: o.unit,
          width: Math.max(MIN_COLORBAR_WIDTH, Math.min(r.width, 360)),
        })
      : '');
  // A reduced image says so: the numbers behind it are in the full-size .npy maps.
  const reduced =
    r && r.reduction > 1
      ? `<div class="note">shown ${r.width}×${r.height}: ${r.colormap === 'labels' ? 'commonest label' : 'mean'} of each ${r.reduction}×${r.reduction} block of the ${r.mapNx}×${r.mapNy} map; full map in the .npy file</div>`
      : '';
  return new Html(
    `<figure class="map"><div class="map-title">${escapeXml(o.title)}</div>${img.html}${reduced}${bar ? `<div class="colorbar">${bar}</div>` : ''}` +
      `${o.caption ? `<figcaption>${render(o.caption)}</figcaption>` : ''}</figure>`,
  );
}

export type Cell = Content;

/** A number already formatted ('228.012', '1.000', '-3e-5'), or the dash that stands for none. */
const NUMBER_TEXT = /^(—|[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)$/;

/**
 * A table; columns whose cells are all numbers, numbers formatted as text (to keep trailing
 * zeros: '1.000'), a dash or empty are right-aligned.
 */
export function table(headers: string[], rows: Cell[][], { caption }: { caption?: Content } = {}): Html {
  const isNumeric = (c: Cell) =>
    typeof c === 'number' || c === null || c === undefined || (typeof c === 'string' && NUMBER_TEXT.test(c));
  const numeric = headers.map((_, j) => rows.length > 0 && rows.every((r) => isNumeric(r[j])));
  const th = headers.map((h, j) => `<th${numeric[j] ? ' class="num"' : ''}>${escapeXml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, j) => `<td${numeric[j] ? ' class="num"' : ''}>${render(c)}</td>`).join('')}</tr>`)
    .join('');
  return new Html(
    `<table>${caption ? `<caption>${render(caption)}</caption>` : ''}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`,
  );
}

/** Key facts as a compact two-column list (input file, shape, timings ...). */
export function facts(pairs: [string, Content][]): Html {
  return new Html(
    `<dl class="facts">${pairs.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${render(v)}</dd>`).join('')}</dl>`,
  );
}

/** Items side by side, wrapping on narrow screens (a gallery of maps). */
export function grid(items: Content[]): Html {
  return new Html(`<div class="grid">${items.map((i) => `<div class="cell">${render(i)}</div>`).join('')}</div>`);
}

export interface Section {
  title: string;
  body: Content;
}

function slug(s: string, i: number): string {
  return `s${i + 1}-${s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)}`;
}

/**
 * The whole page: title, optional subtitle, a table of contents when there are three or more
 * sections, the sections, and a footer line.
 */
export function reportPage(
  title: string,
  sections: Section[],
  { subtitle, footer }: { subtitle?: Content; footer?: Content } = {},
): string {
  const toc =
    sections.length >= 3
      ? `<nav><ol>${sections.map((s, i) => `<li><a href="#${slug(s.title, i)}">${escapeXml(s.title)}</a></li>`).join('')}</ol></nav>`
      : '';
  const body = sections
    .map((s, i) => `<section id="${slug(s.title, i)}"><h2>${escapeXml(s.title)}</h2>${render(s.body)}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeXml(title)}</h1>${subtitle ? `<p class="subtitle">${render(subtitle)}</p>` : ''}</header>
${toc}
<main>
${body}
</main>
${footer ? `<footer>${render(footer)}</footer>` : ''}
</body>
</html>
`;
}
