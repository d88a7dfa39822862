// `--pixel-mask FILE` (fit, nmf, segment): a .npy of the map's pixels, [ny, nx] or [n], non-zero = use the
// pixel. Read once here (a mask of another size or selecting nothing is refused naming the file);
// the methods then check only the selected pixels and name the first bad one.
import { parseNpy } from '../data/io/npy.js';
import { NonFiniteError } from '../data/non-finite.js';
import { readInputFile } from '../data/io/node.js';
import type { SpectrumImage } from '../data/types.js';
import { InputError } from '../engine/errors.js';
import { stringOption } from './options.js';
import type { VerbContext } from './verb.js';

export const PIXEL_MASK_OPTION = { 'pixel-mask': { type: 'string' } } as const;

/** The --pixel-mask of `values` for `img`, or undefined without one. Throws naming the file when
 *  its size does not match the map or it selects no pixel. */
export function pixelMaskOption(
  values: VerbContext['values'],
  img: Pick<SpectrumImage, 'ny' | 'nx'>,
): ArrayLike<number> | undefined {
  const file = stringOption(values, 'pixel-mask');
  if (file === undefined) return undefined;
  const arr = parseNpy(readInputFile(file), file);
  const { ny, nx } = img;
  if (arr.data.length !== ny * nx)
    throw new InputError(`${file}: the pixel mask has ${arr.data.length} values but the map has ${ny} × ${nx} pixels`);
  // A 2-D mask must be [ny, nx]: a transposed one has the right count but masks the wrong pixels.
  const shape = arr.shape.filter((d, i) => i < 2 || d !== 1);
  if (shape.length > 2 || (shape.length === 2 && (shape[0] !== ny || shape[1] !== nx))) {
    const transposed = shape.length === 2 && shape[0] === nx && shape[1] === ny;
    throw new InputError(
      `${file}: the pixel mask has shape (${arr.shape.join(', ')}) but the map is ${ny} × ${nx} pixels${transposed ? ' (transposed? save mask.T)' : ''}: give [ny, nx] or all ${ny * nx} pixels flat`,
    );
  }
  const mask = arr.data as ArrayLike<number>;
  let selected = 0;
  for (let p = 0; p < mask.length; p++) {
    const v = mask[p]!;
    if (Number.isNaN(v))
      throw new InputError(
        `${file}: the pixel mask holds NaN at pixel (${Math.floor(p / nx)}, ${p % nx}): use 1 for pixels to analyse, 0 for those to leave out`,
      );
    if (v) selected++;
  }
  if (selected === 0)
    throw new InputError(
      `${file}: the pixel mask selects no pixel (all ${mask.length} values are 0): nothing to analyse`,
    );
  return mask;
}

/** A method's refusal of a NaN/Inf (a NonFiniteError) with the hint worded for the command line
 *  (--pixel-mask FILE leaves dead pixels out, or: the --pixel-mask selects this pixel); other
 *  errors unchanged. */
export function withPixelMaskHint(e: unknown): unknown {
  return e instanceof NonFiniteError ? e.withHint('cli') : e;
}
