// What every method's public function has in common (docs/adding-a-method.md):
//   f(engine, image, options, ctl?) -> named maps + { backend, timing, warnings }.
// `engine` may be a function that opens one: it is called only after the options and the data
// have passed their checks, so bad input is refused before an adapter starts (and logs).
import type { EngineSource, RunControl } from '../engine/index.js';

/** Wall time of one call in ms: the start (initialisation), the main loop, and the whole call
 *  (opening the engine is not counted). */
export interface MethodTiming {
  initMs: number;
  runMs: number;
  totalMs: number;
}

export interface MethodResult {
  backend: 'webgpu' | 'cpu';
  timing: MethodTiming;
  /** Doubts the data raise about the result (a background on the wrong side, a scale that does not
   *  fit the axis), one line each; the call still succeeded. Front ends show them. */
  warnings: string[];
}

/** Progress, abort, and how the caller names options in warnings (a CLI names its flags). */
export interface MethodControl extends RunControl {
  /** The caller's name of an option (default: the option's own name; 'energy' is the image's axis). */
  name?: (option: string) => string;
}

/** The library's names: options by their key, the energy axis as the image's field. */
export function libraryName(option: string): string {
  return option === 'energy' ? 'image.energy' : option;
}

export type MethodFunction<I, O, R extends MethodResult> = (
  engine: EngineSource,
  image: I,
  options: O,
  ctl?: MethodControl,
) => Promise<R>;
