// Node-only: the output folder and the files a verb writes into it. With --force an existing
// folder is written into: files of the same name are overwritten, nothing is ever deleted.
// Every file is written under a temporary name and renamed when complete, so an interrupted or
// failed run leaves whole files or none; the big ones are written in chunks that yield to the
// event loop, so Ctrl-C (the AbortSignal) stops them.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AbortError, InputError } from '../../engine/errors.js';
import type { MapSet } from '../types.js';
import { encodeJson, mapSetCsvChunks } from './encode-maps.js';
import { encodeNpy, type NpyData } from './npy.js';
import { isInputFile } from './input-file.js';

/** File-system failures a user can fix, in words. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EROFS: 'read-only file system',
  ENOENT: 'no such folder',
  EISDIR: 'a folder of that name exists',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? (e as Error).message;
}

/**
 * mkdir -p, one level at a time from the deepest existing ancestor (Node's recursive mkdir loops
 * forever where mkdir answers ENOENT for an existing parent, as in /proc).
 */
function makeFolders(dir: string, made: string[]): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    mkdirSync(d);
    made.push(d);
  }
}

/**
 * Create `dir` (and parents). An existing non-empty folder needs `force`. Returns the folders it
 * made, outermost first (none when `dir` existed), for removeMadeFolders when the run is refused.
 */
export function prepareOutDir(dir: string, force: boolean): string[] {
  let isDir: boolean | null = null;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`output folder ${dir}: ${reason(e)}`);
  }
  if (isDir === false) throw new InputError(`output folder ${dir} is a file`);
  if (isDir) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch (e) {
      throw new InputError(
        `output folder ${dir}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    if (!force && entries.length > 0)
      throw new InputError(`output folder ${dir} is not empty (use --force to write into it)`);
    return [];
  }
  const made: string[] = [];
  try {
    makeFolders(dir, made);
  } catch (e) {
    removeMadeFolders(made);
    throw new InputError(`output folder ${dir}: cannot create it (${reason(e)})`);
  }
  return made;
}

/** `run()`, taking back the folders prepareOutDir `made` when it throws (nothing is written yet). */
export async function undoFoldersOnError<T>(made: string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    removeMadeFolders(made);
    throw e;
  }
}

/** Take back what prepareOutDir made, innermost first, stopping at the first folder that is not empty. */
export function removeMadeFolders(made: string[]): void {
  for (const d of [...made].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

function checkFileName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name))
    throw new Error(`'${name}' is not a safe file name (letters, digits, _ . - only)`);
}

/** Temporary files being written; any left when the process exits (a second Ctrl-C) are removed. */
const partial = new Set<string>();
let exitHookSet = false;

function startPartial(path: string): string {
  const tmp = join(dirname(path), `.${basename(path)}.partial`);
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', () => partial.forEach(removeQuietly));
  }
  partial.add(tmp);
  return tmp;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function dropPartial(tmp: string): void {
  removeQuietly(tmp);
  partial.delete(tmp);
}

function checkTarget(path: string): void {
  // Even under --force an output never replaces a file this run read (input inside --out).
  if (isInputFile(path))
    throw new InputError(`refusing to write ${path}: it is an input of this run; choose another --out folder`);
}

function writeFailure(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  return code && REASONS[code] ? new InputError(`cannot write ${path} (${REASONS[code]})`) : e;
}

/** Write to a temporary name, then rename; failures a user can fix (permissions, full disk) as one line. */
function writeFile(path: string, content: Uint8Array | string): void {
  checkTarget(path);
  const tmp = startPartial(path);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
    partial.delete(tmp);
  } catch (e) {
    dropPartial(tmp);
    throw writeFailure(path, e);
  }
}

/** Let a pending Ctrl-C be seen, then stop if it was. */
export async function checkpoint(signal?: AbortSignal): Promise<void> {
  await new Promise((r) => setImmediate(r));
  if (signal?.aborted) throw new AbortError('interrupted');
}

/**
 * Write the chunks to `path` (via a temporary name), yielding between chunks; when `signal` is
 * aborted the half-written file is removed and an AbortError naming it is thrown.
 */
export async function writeChunked(path: string, chunks: Iterable<string>, signal?: AbortSignal): Promise<void> {
  checkTarget(path);
  const tmp = startPartial(path);
  let fh: Awaited<ReturnType<typeof open>> | null = null;
  try {
    fh = await open(tmp, 'w');
    for (const chunk of chunks) {
      await fh.write(chunk);
      if (signal?.aborted)
        throw new AbortError(`interrupted while writing ${basename(path)} (the partial file was removed)`);
    }
    await fh.close();
    fh = null;
    renameSync(tmp, path);
    partial.delete(tmp);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    dropPartial(tmp);
    throw writeFailure(path, e);
  }
}

/** Write bytes or text to dir/name; returns the path. */
export function writeOutput(dir: string, name: string, content: Uint8Array | string): string {
  checkFileName(name);
  const path = join(dir, name);
  writeFile(path, content);
  return path;
}

export function writeNpyFile(path: string, data: NpyData, shape: number[]): void {
  writeFile(path, encodeNpy(data, shape));
}

export function writeJsonFile(path: string, value: unknown): void {
  writeFile(path, encodeJson(value));
}

/**
 * Each map as dir/<name>.npy (float32, its own shape) and, unless csv is false, all of them in
 * dir/<csvName> (default maps.csv; one row per pixel, written in chunks that `signal` can stop).
 * Returns the paths written.
 */
export async function writeMapSet(
  dir: string,
  maps: MapSet,
  { csv = true, csvName = 'maps.csv', signal }: { csv?: boolean; csvName?: string; signal?: AbortSignal } = {},
): Promise<string[]> {
  const written: string[] = [];
  for (const [name, m] of Object.entries(maps)) {
    await checkpoint(signal);
    written.push(writeOutput(dir, `${name}.npy`, encodeNpy(m.data, m.shape)));
  }
  if (csv) {
    checkFileName(csvName);
    const path = join(dir, csvName);
    await writeChunked(path, mapSetCsvChunks(maps), signal);
    written.push(path);
  }
  return written;
}
