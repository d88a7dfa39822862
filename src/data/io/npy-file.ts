// Node-only: read a .npy file straight into a Float32Array, in chunks, so that a file larger than
// Node's 2 GiB single-read limit loads, and a float64 file never needs a float64 copy in memory.
import { fstatSync, readSync } from 'node:fs';
import { checkNpyLength, decodeNpyValues, fortranToC, parseNpyHeader, type NpyArray } from './npy.js';

/** Bytes per read (a multiple of 8, so every read holds whole elements of any dtype); the HDF5 reader reads as much per hyperslab. */
export const READ_CHUNK_BYTES = 1 << 24;

function readFully(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** The .npy array open as `fd` as float32 (shape and original dtype kept); `path` names every error. */
export function readNpyAsFloat32(path: string, fd: number, chunkBytes = READ_CHUNK_BYTES): NpyArray {
  const size = fstatSync(fd).size;
  let head = new Uint8Array(Math.min(size, 4096));
  readFully(fd, head, 0);
  // A version 2/3 header may be longer than 4 KiB: read it whole once its length is known.
  if (head.length >= 12 && head[6]! >= 2) {
    const len = 12 + new DataView(head.buffer).getUint32(8, true);
    if (len > head.length && len <= size) {
      head = new Uint8Array(len);
      readFully(fd, head, 0);
    }
  }
  const h = parseNpyHeader(head, path);
  checkNpyLength(h, size - h.dataOffset, path);
  const out = new Float32Array(h.count);
  const total = h.count * h.itemSize;
  if (chunkBytes % 8 !== 0 || chunkBytes <= 0) throw new Error(`readNpyAsFloat32: chunkBytes must be a positive multiple of 8, not ${chunkBytes}`);
  const buf = new Uint8Array(Math.min(chunkBytes, Math.max(total, 1)));
  for (let off = 0; off < total; off += chunkBytes) {
    const part = buf.subarray(0, Math.min(chunkBytes, total - off));
    readFully(fd, part, h.dataOffset + off);
    decodeNpyValues(h, part, off / h.itemSize, out);
  }
  // Column-major files are rearranged once read (a second float32 copy for the moment it takes).
  return { data: h.fortran ? fortranToC(out, h.shape) : out, shape: h.shape, dtype: h.dtype };
}
