// What a CLI verb is. Each verb lives in src/cli/verbs/<name>.ts and is listed in
// src/cli/verbs/index.ts; src/cli/main.ts parses arguments, opens the engine, runs it, and turns
// InputError into one line on stderr with exit code 2.

import type { Engine } from '../engine/index.js';
import type { Progress } from '../engine/index.js';

/** Option declarations in node:util parseArgs form. */
export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }
>;

export interface VerbContext {
  /** Parsed options (strings/booleans as parseArgs gives them) and positional arguments. */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** Opens the engine named by --backend (auto by default); main closes it afterwards. */
  engine(): Promise<Engine>;
  /** A progress callback drawing a bar on stderr (only for work longer than a second). */
  progress(label: string): (p: Progress) => void;
  /** Print a line to stdout (the summary); stderr is for progress and warnings. */
  out(line: string): void;
  warn(line: string): void;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
}

export interface Verb {
  name: string;
  /** One line for `specmap --help`. */
  summary: string;
  /** Usage text for `specmap <verb> --help`: the synopsis and each option. */
  usage: string;
  options: OptionSpec;
  /** Whether the verb computes (then --backend and the engine apply). */
  usesEngine: boolean;
  run(ctx: VerbContext): Promise<void>;
}
