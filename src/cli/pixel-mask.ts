// `--pixel-mask FILE` (fit, nmf, segment): a .npy of the map's pixels, [ny, nx] or [n], non-zero = use the
// pixel. Read once here (a mask of another size or selecting nothing is refused naming the file);
// the methods then check only the selected pixels and name the first bad one.
import { parseNpy } from '../data/io/npy.js';
import { readInputFile } from '../data/io/node.js';
import type { SpectrumImage } from '../data/types.js';
import { InputError } from '../engine/errors.js';
import { stringOption } from './options.js';
import type { VerbContext } from './verb.js';

export const PIXEL_MASK_OPTION = { 'pixel-mask': { type: 'string' } } as const;

/** The --pixel-mask of `values` for `img`, or undefined without one. Throws naming the file when
 *  its size does not match the map or it selects no pixel. */
export function pixelMaskOption(values: VerbContext['values'], img: Pick<SpectrumImage, 'ny' | 'nx'>): ArrayLike<number> | undefined {
  const file = stringOption(values, 'pixel-mask');
  if (file === undefined) return undefined;
  const arr = parseNpy(readInputFile(file), file);
  if (arr.data.length !== img.ny * img.nx) throw new InputError(`${file}: the pixel mask has ${arr.data.length} values but the map has ${img.ny} × ${img.nx} pixels`);
  const mask = arr.data as ArrayLike<number>;
  let selected = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p]) selected++;
  if (selected === 0) throw new InputError(`${file}: the pixel mask selects no pixel (all ${mask.length} values are 0): nothing to analyse`);
  return mask;
}
