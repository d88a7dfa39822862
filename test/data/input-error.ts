// Test helper: run fn, expect it to throw an InputError, return the message.
import { expect } from 'vitest';
import { InputError } from '../../src/engine/errors.js';

export function inputErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** inputErrorOf for a function that returns a promise: expect it to reject with an InputError. */
export async function inputErrorAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}
