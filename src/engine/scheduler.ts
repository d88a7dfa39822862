// Splitting a dataset into chunks that fit the device, and running them with progress, abort
// and overlap: while the GPU computes chunk i, the host prepares chunk i+1.

import { throwIfAborted } from './errors.js';

export interface Progress {
  /** Work units done (pixels, iterations, sweeps) out of total. */
  done: number;
  total: number;
  stage: string;
}

export interface RunControl {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface Chunk {
  index: number;
  start: number;
  end: number;
}

/** Chunks of at most `maxItems` items whose per-item footprint times count stays under `maxBytes`
 * (the largest buffer of the chunk decides, e.g. pixels × channels × 4 bytes of data). */
export function planChunks(total: number, bytesPerItem: number, maxBytes: number, maxItems = Infinity): Chunk[] {
  if (total <= 0) return [];
  const byBytes = Math.max(1, Math.floor(maxBytes / Math.max(1, bytesPerItem)));
  const size = Math.max(1, Math.min(total, byBytes, maxItems));
  const n = Math.ceil(total / size);
  // Even out the chunks so the last one is not a sliver.
  const even = Math.ceil(total / n);
  const chunks: Chunk[] = [];
  for (let i = 0, s = 0; s < total; i++, s += even) chunks.push({ index: i, start: s, end: Math.min(total, s + even) });
  return chunks;
}

/**
 * Run chunks through `prepare` (host work, synchronous) and `execute` (submits GPU work, then
 * awaits its readback). `prepare` of the next chunk runs while `execute` of this one waits on
 * the GPU. Results come back in chunk order.
 */
export async function runChunked<P, R>(
  chunks: Chunk[],
  prepare: (c: Chunk) => P,
  execute: (prepared: P, c: Chunk) => Promise<R>,
  ctl: RunControl & { stage?: string; itemsTotal?: number } = {},
): Promise<R[]> {
  const results: R[] = [];
  const total = ctl.itemsTotal ?? (chunks.length ? chunks[chunks.length - 1]!.end : 0);
  let done = 0;
  let next: P | undefined = chunks.length ? prepare(chunks[0]!) : undefined;
  for (let i = 0; i < chunks.length; i++) {
    throwIfAborted(ctl.signal);
    const c = chunks[i]!;
    const running = execute(next as P, c);
    next = i + 1 < chunks.length ? prepare(chunks[i + 1]!) : undefined;
    results.push(await running);
    done += c.end - c.start;
    ctl.onProgress?.({ done, total, stage: ctl.stage ?? 'chunks' });
  }
  return results;
}

/** Report progress at most every `ms` milliseconds (plus the final call). */
export function throttle(
  onProgress: ((p: Progress) => void) | undefined,
  ms = 200,
): ((p: Progress) => void) | undefined {
  if (!onProgress) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done >= p.total || now - last >= ms) {
      last = now;
      onProgress(p);
    }
  };
}
