// Node-only: the output folder and the files a verb writes into it. With --force an existing
// folder is written into: files of the same name are overwritten, nothing is ever deleted.
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../engine/errors.js';
import type { MapSet } from '../types.js';
import { encodeJson, mapSetToCsv } from './encode-maps.js';
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

/** writeFileSync, with the failures a user can fix (permissions, full or read-only disk) as one line. */
function writeFile(path: string, content: Uint8Array | string): void {
  // Even under --force an output never replaces a file this run read (input inside --out).
  if (isInputFile(path))
    throw new InputError(`refusing to write ${path}: it is an input of this run; choose another --out folder`);
  try {
    writeFileSync(path, content);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && REASONS[code]) throw new InputError(`cannot write ${path} (${REASONS[code]})`);
    throw e;
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
 * dir/<csvName> (default maps.csv; one row per pixel). Returns the paths written.
 */
export function writeMapSet(
  dir: string,
  maps: MapSet,
  { csv = true, csvName = 'maps.csv' }: { csv?: boolean; csvName?: string } = {},
): string[] {
  const written = Object.entries(maps).map(([name, m]) => writeOutput(dir, `${name}.npy`, encodeNpy(m.data, m.shape)));
  if (csv) written.push(writeOutput(dir, csvName, mapSetToCsv(maps)));
  return written;
}
