// Runs the specmap CLI in-process (main(argv)) and collects what it printed; and small temp-folder
// helpers for the verbs' tests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseNpy } from '../../src/data/io/npy.js';
import { encodeNpy, type NpyData } from '../../src/data/io/npy.js';

export interface CliRun {
  code: number;
  out: string;
  err: string[];
}

export async function runCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err };
}

// Every folder tempDir() makes is removed after the test file that made it (this module is
// loaded once per test file), so runs leave nothing in the system temp folder.
const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'specmap-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function writeNpy(path: string, data: NpyData, shape: number[]): string {
  writeFileSync(path, encodeNpy(data, shape));
  return path;
}

export function readNpy(path: string): { data: ArrayLike<number>; shape: number[] } {
  return parseNpy(readFileSync(path), path);
}

/** The stderr lines that are errors (the adapter line and warnings aside). */
export function errors(run: CliRun): string[] {
  return run.err.filter((l) => !/WebGPU adapter|warning/.test(l));
}
