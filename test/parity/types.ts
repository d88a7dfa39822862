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

/** A fresh u32 seed for a case's random inputs: drawn anew each run, printed in every failure
 * message, so a red run can be replayed by passing the seed back. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}
