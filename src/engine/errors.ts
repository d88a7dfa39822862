/** A problem with what the user gave (file, option, data): shown as one line, CLI exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The user stopped the work (AbortSignal). */
export class AbortError extends Error {
  override name = 'AbortError';
  constructor(message = 'aborted') {
    super(message);
  }
}

/** WebGPU asked for but unavailable, or the device failed. */
export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError(typeof signal.reason === 'string' ? signal.reason : 'aborted');
}
