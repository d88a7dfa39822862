// The demo's output folder rule: `specmap demo` may be run again and again into the same folder.
// It marks a folder it filled with a list of the files it wrote; a later demo replaces exactly
// those files, and only when the folder holds nothing else (never a user's files).
import { lstatSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../engine/errors.js';

export const DEMO_MARKER = '.specmap-demo.json';

interface Marker {
  writtenBy: 'specmap demo';
  files: string[];
}

function entries(dir: string): string[] | null {
  try {
    return readdirSync(dir);
  } catch {
    return null;
  }
}

function readMarker(dir: string): Marker | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, DEMO_MARKER), 'utf8')) as Partial<Marker>;
    if (m.writtenBy !== 'specmap demo' || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string'))
      return null;
    return m as Marker;
  } catch {
    return null;
  }
}

/**
 * Before a demo run into `dir`: a folder holding only a previous demo's files (those its marker
 * lists) is emptied of them. Returns whether the folder is the demo's, to be marked after the run
 * (missing, empty or emptied here); a folder with anything else in it is left to --force / refused.
 */
export function clearPreviousDemo(dir: string, force: boolean): boolean {
  const names = entries(dir);
  if (names === null || names.length === 0) return true;
  const marker = readMarker(dir);
  if (!marker) return false;
  const listed = new Set(marker.files);
  const foreign = names.filter((n) => n !== DEMO_MARKER && !listed.has(n));
  if (foreign.length > 0) {
    if (force) return false;
    throw new InputError(
      `output folder ${dir} holds a previous demo's files and also '${foreign[0]}', which the demo did not write: choose another --out (or --force to write into it)`,
    );
  }
  for (const n of names) {
    // Only plain files the demo wrote: a folder or link of the same name is not its own.
    if (!lstatSync(join(dir, n)).isFile())
      throw new InputError(`output folder ${dir}: '${n}' is not a file the demo wrote; choose another --out`);
  }
  for (const n of names) unlinkSync(join(dir, n));
  return true;
}

/** After a demo run that owned `dir`: list what is in it as the demo's files. */
export function markDemoFolder(dir: string): void {
  const names = entries(dir)?.filter((n) => n !== DEMO_MARKER && !n.endsWith('.partial'));
  if (!names || names.length === 0) return;
  const marker: Marker = { writtenBy: 'specmap demo', files: names.sort() };
  writeFileSync(join(dir, DEMO_MARKER), JSON.stringify(marker, null, 2) + '\n');
}
