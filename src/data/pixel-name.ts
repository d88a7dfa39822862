// How messages name a pixel: 'pixel (y, x)' in a map, 'spectrum p' in a list. Browser-safe.
import type { SpectrumImage } from './types.js';

/** Where a value sits: pixel index p = y·nx + x, and the channel within its spectrum. */
export interface ValueLocation {
  pixel: number;
  y: number;
  x: number;
  channel: number;
}

/** 'pixel (y, x)' for a map, 'spectrum p' for a list. */
export function describePixel(
  img: Pick<SpectrumImage, 'layout'>,
  loc: Pick<ValueLocation, 'pixel' | 'y' | 'x'>,
): string {
  return img.layout === 'map' ? `pixel (${loc.y}, ${loc.x})` : `spectrum ${loc.pixel}`;
}
