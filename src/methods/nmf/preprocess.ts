// From a spectrum image to the matrix NMF factorises: pixel and channel masks, reference
// subtraction (mean spectrum, a given spectrum, or a region's mean), Poisson normalisation
// (Keenan & Kotula), and the input checks that give one-line errors (NaN, negative values for a
// non-negative method, constant data). Browser-safe.
import { InputError } from '../../engine/index.js';
import type { SpectrumImage } from '../../data/types.js';
import { assertNoNonFinite } from '../../data/non-finite.js';
import { describePixel } from '../../data/validate.js';
import type { NmfNegative, NmfReference } from './model.js';

/** The values `negative` 'clip' or 'shift' changed: how many, and by how much for 'shift'. */
export interface NegativeChange {
  mode: 'clip' | 'shift';
  /** Values below zero before the change. */
  negatives: number;
  /** Values changed: the negatives for 'clip', every fitted value for 'shift'. */
  changed: number;
  /** The constant added to every value ('shift'; 0 for 'clip'). */
  shift: number;
}

export interface PreparedMatrix {
  /** Fitted pixels × fitted channels, row-major float32. */
  X: Float32Array;
  n: number;
  m: number;
  /** Image pixel of each row, and image channel of each column. */
  pixels: Int32Array;
  channels: Int32Array;
  /** Poisson normalisation: X̃_ij = X_ij · rowScale_i · colScale_j (null without it). */
  rowScale: Float64Array | null;
  colScale: Float64Array | null;
  /** The subtracted reference over all image channels (null without one). */
  reference: Float32Array | null;
  /** What `negative` 'clip' or 'shift' changed (null when nothing was). */
  negative: NegativeChange | null;
  /** ‖X̃‖_F² of the prepared matrix. */
  squaredNorm: number;
}

export interface PrepareOptions {
  pixelMask?: ArrayLike<number>;
  channelMask?: ArrayLike<number>;
  reference?: NmfReference;
  poisson?: boolean;
  /** Name of the method for the negative-value message; null when signed data are allowed. */
  nonNegativeMethod: string | null;
  /** Negative values for a non-negative method: refused (default), set to 0, or the whole matrix
   * raised by −min so that its least value is 0. */
  negative?: NmfNegative;
  /** Name of the data in messages (file name). */
  what: string;
}

function selected(mask: ArrayLike<number> | undefined, length: number, name: string, what: string): Int32Array {
  if (!mask) return Int32Array.from({ length }, (_, i) => i);
  if (mask.length !== length)
    throw new InputError(`${what}: ${name} has ${mask.length} entries but the data have ${length}`);
  const idx: number[] = [];
  for (let i = 0; i < length; i++) if (mask[i]) idx.push(i);
  if (idx.length === 0) throw new InputError(`${what}: ${name} selects nothing`);
  return Int32Array.from(idx);
}

function referenceSpectrum(img: SpectrumImage, ref: NmfReference, pixels: Int32Array, what: string): Float32Array {
  const C = img.channels;
  const mean = (rows: ArrayLike<number>) => {
    const acc = new Float64Array(C);
    for (let r = 0; r < rows.length; r++) {
      const o = rows[r]! * C;
      for (let c = 0; c < C; c++) acc[c] += img.data[o + c]!;
    }
    return Float32Array.from(acc, (v) => v / rows.length);
  };
  if (ref === 'mean') return mean(pixels);
  if ('spectrum' in ref) {
    if (ref.spectrum.length !== C)
      throw new InputError(
        `${what}: the reference spectrum has ${ref.spectrum.length} channels but the data have ${C}`,
      );
    const s = Float32Array.from(ref.spectrum);
    for (let c = 0; c < C; c++)
      if (!Number.isFinite(s[c]!))
        throw new InputError(`${what}: the reference spectrum is not finite at channel ${c}`);
    return s;
  }
  if ('region' in ref) {
    const rows = selected(ref.region, img.ny * img.nx, 'the reference region', what);
    return mean(rows);
  }
  throw new InputError(`${what}: reference must be 'mean', {spectrum} or {region}`);
}

export function prepareMatrix(img: SpectrumImage, o: PrepareOptions): PreparedMatrix {
  const { what } = o;
  const pixels = selected(o.pixelMask, img.ny * img.nx, 'the pixel mask', what);
  const channels = selected(o.channelMask, img.channels, 'the channel mask', what);
  const n = pixels.length;
  const m = channels.length;
  const C = img.channels;
  const reference = o.reference ? referenceSpectrum(img, o.reference, pixels, what) : null;
  if (reference && o.poisson)
    throw new InputError(`${what}: Poisson normalisation needs counts; it cannot follow reference subtraction`);
  // Only the pixels and channels that enter the fit must be finite: a --pixel-mask or
  // --channels range is how NaN pixels (dead, beam-off) are left out.
  assertNoNonFinite(img, { what, pixelMask: o.pixelMask ?? null, channelMask: o.channelMask ?? null });
  const X = new Float32Array(n * m);
  let min = Infinity;
  let minAt = -1;
  let first = NaN;
  let constant = true;
  for (let r = 0; r < n; r++) {
    const o0 = pixels[r]! * C;
    for (let j = 0; j < m; j++) {
      const c = channels[j]!;
      const v = img.data[o0 + c]! - (reference ? reference[c]! : 0);
      X[r * m + j] = v;
      if (v < min) {
        min = v;
        minAt = r * m + j;
      }
      if (r === 0 && j === 0) first = v;
      else if (v !== first) constant = false;
    }
  }
  if (constant) {
    throw new InputError(
      `${what}: the data${reference ? ' minus the reference' : ''} are constant (every value is ${first}); there is nothing to factorise`,
    );
  }
  let negative: NegativeChange | null = null;
  if (o.nonNegativeMethod && min < 0) {
    let negatives = 0;
    for (const v of X) if (v < 0) negatives++;
    const mode = o.negative ?? 'error';
    if (mode === 'error') {
      const p = pixels[Math.floor(minAt / m)]!;
      const at = describePixel(img, { pixel: p, y: Math.floor(p / img.nx), x: p % img.nx });
      let max = 0;
      for (const v of X) if (v > max) max = v;
      const share = (100 * negatives) / (n * m);
      const depth = max > 0 ? (100 * -min) / max : Infinity;
      throw new InputError(
        `${what}: method '${o.nonNegativeMethod}' needs non-negative data but ${at} channel ${channels[minAt % m]} is ${min}` +
          `${reference ? ' after reference subtraction' : ''} (${negatives} negative value${negatives === 1 ? '' : 's'}, ` +
          `${share < 0.1 ? '< 0.1' : share.toPrecision(2)} %, the lowest ${depth < 0.1 ? '< 0.1' : depth.toPrecision(2)} % of the maximum): ` +
          `slightly negative noise: --negative clip (set to 0) or --negative shift (raise all by ${-min}); ` +
          `difference data: --method semi (semi-NMF)`,
      );
    }
    if (mode === 'clip') {
      for (let e = 0; e < X.length; e++) if (X[e]! < 0) X[e] = 0;
      negative = { mode, negatives, changed: negatives, shift: 0 };
    } else {
      for (let e = 0; e < X.length; e++) X[e] = X[e]! - min;
      negative = { mode, negatives, changed: X.length, shift: -min };
    }
  }
  let rowScale: Float64Array | null = null;
  let colScale: Float64Array | null = null;
  if (o.poisson) {
    const rs = new Float64Array(n);
    const cs = new Float64Array(m);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < m; j++) {
        rs[r] += X[r * m + j]!;
        cs[j] += X[r * m + j]!;
      }
    rowScale = rs.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
    colScale = cs.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
    for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) X[r * m + j] *= rowScale[r]! * colScale[j]!;
  }
  let squaredNorm = 0;
  for (const v of X) squaredNorm += v * v;
  return { X, n, m, pixels, channels, rowScale, colScale, reference, negative, squaredNorm };
}
