// Result maps → PNG bytes (fast-png; browser-safe): a colour map over a robust display range,
// NaN pixels grey, small maps enlarged with nearest-neighbour so each pixel stays a crisp square,
// large ones reduced by whole blocks to screen size (the full maps are the .npy outputs).
import { encode } from 'fast-png';
import { colormapLut, labelColor, NAN_RGB, type ColormapName } from './colormap.js';
import { displayRange, type RangeOptions } from './range.js';

export interface MapPngOptions extends RangeOptions {
  /** Default 'viridis'. 'labels' colours integer class labels 0, 1, 2 ... with a categorical palette. */
  colormap?: ColormapName | 'labels';
  /** Screen pixels per map pixel (integer). Default: the smallest that makes the long side ≥ 256 px. */
  scale?: number;
  /** Longest side in image pixels; a larger map is shown as block means (labels: the commonest). Default 512. */
  maxSide?: number;
}

/** Longest side of a report map image before it is reduced. */
export const MAP_MAX_SIDE = 512;

export interface RenderedMap {
  png: Uint8Array;
  width: number;
  height: number;
  /** The display range used (NaN for label maps). */
  vmin: number;
  vmax: number;
  colormap: ColormapName | 'labels';
  log: boolean;
  /** Map pixels per image pixel along each side (1: not reduced), and the map's own size. */
  reduction: number;
  mapNy: number;
  mapNx: number;
}

/** Blocks of f × f pixels (partial ones at the edges) to one value: the mean of the finite values
 *  (NaN when none), or for labels the commonest value. */
export function reduceBlocks(
  values: ArrayLike<number>,
  ny: number,
  nx: number,
  f: number,
  labels: boolean,
): { values: Float64Array; ny: number; nx: number } {
  const oy = Math.ceil(ny / f);
  const ox = Math.ceil(nx / f);
  const out = new Float64Array(oy * ox);
  const counts = new Map<number, number>();
  for (let by = 0; by < oy; by++) {
    for (let bx = 0; bx < ox; bx++) {
      let sum = 0;
      let n = 0;
      counts.clear();
      for (let y = by * f; y < Math.min(ny, (by + 1) * f); y++) {
        for (let x = bx * f; x < Math.min(nx, (bx + 1) * f); x++) {
          const v = values[y * nx + x]!;
          if (labels) counts.set(v, (counts.get(v) ?? 0) + 1);
          else if (v - v === 0) {
            sum += v;
            n++;
          }
        }
      }
      if (labels) {
        let best = NaN;
        let most = 0;
        for (const [v, c] of counts) if (c > most || (c === most && v < best)) [best, most] = [v, c];
        out[by * ox + bx] = best;
      } else out[by * ox + bx] = n > 0 ? sum / n : NaN;
    }
  }
  return { values: out, ny: oy, nx: ox };
}
export function defaultScale(ny: number, nx: number, minSide = 256): number {
  return Math.max(1, Math.ceil(minSide / Math.max(1, ny, nx)));
}

/** Colour each map pixel (RGB, ny × nx × 3) before enlarging. */
function colourPixels(
  values: ArrayLike<number>,
  n: number,
  opts: MapPngOptions,
  vmin: number,
  vmax: number,
): Uint8Array {
  const rgb = new Uint8Array(n * 3);
  if (opts.colormap === 'labels') {
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      rgb.set(v - v === 0 && v >= 0 ? labelColor(Math.round(v)) : NAN_RGB, i * 3);
    }
    return rgb;
  }
  const lut = colormapLut(opts.colormap ?? 'viridis');
  const log = opts.log === true;
  const lo = log ? Math.log(vmin) : vmin;
  const span = (log ? Math.log(vmax) : vmax) - lo;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) {
      rgb.set(NAN_RGB, i * 3);
      continue;
    }
    const t = ((log ? (v > 0 ? Math.log(v) : -Infinity) : v) - lo) / span;
    const k = t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
    rgb[i * 3] = lut[k * 3]!;
    rgb[i * 3 + 1] = lut[k * 3 + 1]!;
    rgb[i * 3 + 2] = lut[k * 3 + 2]!;
  }
  return rgb;
}

/** Nearest-neighbour enlargement of an RGB image by an integer factor. */
function enlarge(rgb: Uint8Array, ny: number, nx: number, s: number): Uint8Array {
  if (s === 1) return rgb;
  const w = nx * s;
  const out = new Uint8Array(ny * s * w * 3);
  for (let y = 0; y < ny; y++) {
    const row = out.subarray(y * s * w * 3, (y * s + 1) * w * 3);
    for (let x = 0; x < nx; x++) {
      const src = rgb.subarray((y * nx + x) * 3, (y * nx + x) * 3 + 3);
      for (let k = 0; k < s; k++) row.set(src, (x * s + k) * 3);
    }
    for (let k = 1; k < s; k++) out.copyWithin((y * s + k) * w * 3, y * s * w * 3, (y * s + 1) * w * 3);
  }
  return out;
}

/** Render a row-major [ny, nx] map; returns the PNG and the range and colour map used. */
export function renderMap(values: ArrayLike<number>, ny: number, nx: number, opts: MapPngOptions = {}): RenderedMap {
  if (values.length !== ny * nx) throw new Error(`renderMap: ${values.length} values for a ${ny}×${nx} map`);
  const maxSide = opts.maxSide ?? MAP_MAX_SIDE;
  const reduction = Math.max(1, Math.ceil(Math.max(ny, nx) / maxSide));
  const scale = reduction > 1 ? 1 : (opts.scale ?? defaultScale(ny, nx));
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`renderMap: scale must be a positive integer, not ${scale}`);
  const labels = opts.colormap === 'labels';
  const [vmin, vmax] = labels ? [NaN, NaN] : displayRange(values, opts);
  if (opts.log && !(vmin > 0)) throw new Error(`renderMap: a log colour scale needs vmin > 0, not ${vmin}`);
  // The display range comes from every map pixel; only the drawing is reduced.
  const shown = reduction > 1 ? reduceBlocks(values, ny, nx, reduction, labels) : { values, ny, nx };
  const rgb = enlarge(colourPixels(shown.values, shown.ny * shown.nx, opts, vmin, vmax), shown.ny, shown.nx, scale);
  const png = encode({ width: shown.nx * scale, height: shown.ny * scale, data: rgb, channels: 3, depth: 8 });
  return {
    png,
    width: shown.nx * scale,
    height: shown.ny * scale,
    vmin,
    vmax,
    colormap: opts.colormap ?? 'viridis',
    log: opts.log === true,
    reduction,
    mapNy: ny,
    mapNx: nx,
  };
}

/** PNG bytes of a map (see renderMap for the range and colour map it used). */
export function renderMapPng(values: ArrayLike<number>, ny: number, nx: number, opts: MapPngOptions = {}): Uint8Array {
  return renderMap(values, ny, nx, opts).png;
}

/** A colour-bar strip as PNG: low to high left→right (horizontal) or bottom→top (vertical). */
export function renderColorbarPng(
  colormap: ColormapName,
  { length = 256, thickness = 16, vertical = false }: { length?: number; thickness?: number; vertical?: boolean } = {},
): Uint8Array {
  const lut = colormapLut(colormap);
  const ramp = Float32Array.from({ length }, (_, i) => i / Math.max(1, length - 1));
  const w = vertical ? thickness : length;
  const h = vertical ? length : thickness;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = vertical ? ramp[h - 1 - y]! : ramp[x]!;
      const k = Math.round(t * 255);
      rgb.set(lut.subarray(k * 3, k * 3 + 3), (y * w + x) * 3);
    }
  }
  return encode({ width: w, height: h, data: rgb, channels: 3, depth: 8 });
}
