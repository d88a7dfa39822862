// Node-only: read a .npy file straight into a Float32Array, in chunks, so that a file larger than
// Node's 2 GiB single-read limit loads, and a float64 file never needs a float64 copy in memory.
import { fstatSync, readSync } from 'node:fs';
import type { NpyArray } from './npy.js';
import { READ_CHUNK_BYTES, readNpyStream } from './npy-stream.js';

/** `n` bytes of the file open as `fd` from `position` (fewer at its end). */
export function readAt(fd: number, position: number, n: number): Uint8Array {
  const into = new Uint8Array(n);
  let done = 0;
  while (done < n) {
    const got = readSync(fd, into, done, n - done, position + done);
    if (got === 0) break;
    done += got;
  }
  return done === n ? into : into.subarray(0, done);
}

/** The .npy array open as `fd` as float32 (shape and original dtype kept); `path` names every error. */
export function readNpyAsFloat32(path: string, fd: number, chunkBytes = READ_CHUNK_BYTES): NpyArray {
  return readNpyStream((at, n) => readAt(fd, at, n), fstatSync(fd).size, path, undefined, chunkBytes);
}
