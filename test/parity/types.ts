// A parity case runs in Node (vitest, Dawn) and in headless Chromium (harness/), unchanged.
// It gets an open WebGPU engine, builds fresh random inputs, runs the GPU path and the CPU
// reference, and throws (with numbers in the message) when they disagree beyond the stated tolerance.
import type { Engine } from '../../src/engine/index.js';

export interface ParityCase {
  name: string;
  run(engine: Engine): Promise<void>;
}

export function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
