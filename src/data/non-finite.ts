// The one refusal of NaN/±Inf in spectra, whichever method or verb finds it:
//   "map.npy: pixel (2, 3) channel 4 is NaN (7 non-finite values in all; <hint>)"
// naming the data, the first bad pixel ((y, x) in a map, its index in a list), its channel and
// the count. The error carries what it found, so a front end (the CLI) can swap the library's hint
// for its own option by type, not by matching text. Browser-safe.
import { InputError } from '../engine/errors.js';
import { describePixel } from './pixel-name.js';
import type { SpectrumImage } from './types.js';

export interface NonFiniteFinding {
  /** Index into the data of the first NaN/±Inf in storage order. */
  first: number;
  count: number;
}

/**
 * The first NaN/±Inf and how many there are, over the selected pixels and channels only
 * (`pixelMask` / `channelMask`: non-zero = selected; all without one). Null when there is none.
 */
export function findNonFinite(
  data: ArrayLike<number>,
  channels: number,
  pixelMask?: ArrayLike<number> | null,
  channelMask?: ArrayLike<number> | null,
): NonFiniteFinding | null {
  let first = -1;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v === 0) continue;
    if (pixelMask && !pixelMask[Math.floor(i / channels)]) continue;
    if (channelMask && !channelMask[i % channels]) continue;
    if (count++ === 0) first = i;
  }
  return count ? { first, count } : null;
}

/** Who the hint speaks to: a library caller (the pixelMask option), the command line (--pixel-mask), or nobody. */
export type NonFiniteHint = 'library' | 'cli' | null;

export interface NonFiniteDetail {
  /** The data's name in the message: its file when known. */
  what: string;
  layout: SpectrumImage['layout'];
  nx: number;
  channels: number;
  /** The first bad value (index into the data and the value) and the count. */
  first: number;
  value: number;
  count: number;
  /** Whether only some pixels / channels were checked (a pixel mask, a channel range). */
  selectedPixels: boolean;
  selectedChannels: boolean;
  hint: NonFiniteHint;
}

/** NaN/±Inf in the data: an InputError (one line, CLI exit 2) that also holds what it found. */
export class NonFiniteError extends InputError {
  readonly detail: NonFiniteDetail;

  constructor(detail: NonFiniteDetail) {
    super(nonFiniteMessage(detail));
    this.detail = detail;
  }

  /** The same refusal with another hint. */
  withHint(hint: NonFiniteHint): NonFiniteError {
    return new NonFiniteError({ ...this.detail, hint });
  }
}

function nonFiniteMessage(d: NonFiniteDetail): string {
  const p = Math.floor(d.first / d.channels);
  const at = describePixel(d, { pixel: p, y: Math.floor(p / d.nx), x: p % d.nx });
  const kind = Number.isNaN(d.value) ? 'NaN' : d.value > 0 ? '+Inf' : '-Inf';
  const where = d.selectedPixels
    ? d.selectedChannels
      ? 'in the selected pixels and channels'
      : 'in the selected pixels'
    : d.selectedChannels
      ? 'in the selected channels'
      : 'in all';
  const option = d.hint === 'cli' ? '--pixel-mask' : 'the pixelMask option';
  const hint =
    d.hint === null
      ? ''
      : d.selectedPixels
        ? `; ${option} selects this pixel`
        : `; ${d.hint === 'cli' ? '--pixel-mask FILE' : option} leaves dead pixels out`;
  return `${d.what}: ${at} channel ${d.first % d.channels} is ${kind} (${d.count} non-finite value${d.count === 1 ? '' : 's'} ${where}${hint})`;
}

export interface NonFiniteCheck {
  /** The data's name in the message (default: meta.source when the image has one, else 'input'). */
  what?: string;
  pixelMask?: ArrayLike<number> | null;
  channelMask?: ArrayLike<number> | null;
  /** Default 'library': the methods that take a pixelMask option name it. */
  hint?: NonFiniteHint;
}

type Checked = Pick<SpectrumImage, 'data' | 'nx' | 'channels'> & Partial<Pick<SpectrumImage, 'layout' | 'meta'>>;

/** The data's name for messages: the file it was read from when the loader recorded it, else 'input'. */
export function dataName(img: Partial<Pick<SpectrumImage, 'meta'>>): string {
  const source = img.meta?.source;
  return typeof source === 'string' && source ? source : 'input';
}

/** The NonFiniteError for the first NaN/±Inf among the selected pixels and channels, or null when they are all finite. */
export function nonFiniteError(img: Checked, o: NonFiniteCheck = {}): NonFiniteError | null {
  const bad = findNonFinite(img.data, img.channels, o.pixelMask, o.channelMask);
  if (!bad) return null;
  return new NonFiniteError({
    what: o.what ?? dataName(img),
    layout: img.layout ?? 'map',
    nx: img.nx,
    channels: img.channels,
    first: bad.first,
    value: img.data[bad.first]!,
    count: bad.count,
    selectedPixels: !!o.pixelMask && !allSelected(o.pixelMask),
    selectedChannels: !!o.channelMask && !allSelected(o.channelMask),
    hint: o.hint === undefined ? 'library' : o.hint,
  });
}

/** Throw the NonFiniteError for the first NaN/±Inf among the selected pixels and channels, if any. */
export function assertNoNonFinite(img: Checked, o: NonFiniteCheck = {}): void {
  const e = nonFiniteError(img, o);
  if (e) throw e;
}

function allSelected(mask: ArrayLike<number>): boolean {
  for (let i = 0; i < mask.length; i++) if (!mask[i]) return false;
  return true;
}
