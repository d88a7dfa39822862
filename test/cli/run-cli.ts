// Runs the specmap CLI in-process (main(argv)) and collects what it printed; and small temp-folder
// helpers for the verbs' tests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export function tempDir(prefix = 'specmap-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
