// Colour maps for result maps: perceptual sequential maps and a diverging one from
// d3-scale-chromatic, sampled once into 256-entry RGB tables; a categorical palette for labels.
import {
  interpolateCividis,
  interpolateGreys,
  interpolateInferno,
  interpolateMagma,
  interpolatePlasma,
  interpolateRdBu,
  interpolateTurbo,
  interpolateViridis,
  schemeTableau10,
} from 'd3-scale-chromatic';

export type ColormapName = 'viridis' | 'cividis' | 'magma' | 'inferno' | 'plasma' | 'turbo' | 'greys' | 'coolwarm';

export const COLORMAPS: Record<ColormapName, (t: number) => string> = {
  viridis: interpolateViridis,
  cividis: interpolateCividis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  plasma: interpolatePlasma,
  turbo: interpolateTurbo,
  // Black for high counts reads wrong on maps: greys run from black (low) to white (high).
  greys: (t) => interpolateGreys(1 - t),
  // Diverging, for residuals and differences: blue below, white at the middle, red above.
  coolwarm: (t) => interpolateRdBu(1 - t),
};

/** Grey for pixels without a value (NaN): distinct from every sequential map's ends. */
export const NAN_RGB: readonly [number, number, number] = [128, 128, 128];

/** '#rrggbb' or 'rgb(r, g, b)' → [r, g, b]. */
export function parseColor(css: string): [number, number, number] {
  if (css.startsWith('#') && css.length === 7) {
    return [parseInt(css.slice(1, 3), 16), parseInt(css.slice(3, 5), 16), parseInt(css.slice(5, 7), 16)];
  }
  const m = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(css);
  if (!m) throw new Error(`cannot parse colour '${css}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function hexColor([r, g, b]: ArrayLike<number> & Iterable<number>): string {
  return '#' + [r!, g!, b!].map((c) => c.toString(16).padStart(2, '0')).join('');
}

const lutCache = new Map<ColormapName, Uint8Array>();

/** 256 RGB entries (768 bytes) sampling the colour map from 0 to 1. */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = lutCache.get(name);
  if (!lut) {
    const f = COLORMAPS[name];
    if (!f) throw new Error(`unknown colour map '${name}' (known: ${Object.keys(COLORMAPS).join(', ')})`);
    lut = new Uint8Array(768);
    for (let i = 0; i < 256; i++) lut.set(parseColor(f(i / 255)), i * 3);
    lutCache.set(name, lut);
  }
  return lut;
}

/** The colour of label k (0, 1, 2 ...) in segmentation maps and their legends. */
export function labelColor(k: number): [number, number, number] {
  return parseColor(schemeTableau10[((k % 10) + 10) % 10]!);
}

/** A palette of distinct line colours for chart series. */
export function seriesColor(i: number): string {
  return schemeTableau10[i % 10]!;
}
