// `specmap <verb> FILE [options]`: parses arguments, opens the engine a verb asks for, runs the
// verb, and turns every user-facing problem into one line on stderr (exit 2). Returns the exit
// code; bin/specmap.js exits with it (Dawn keeps the event loop alive otherwise).
import { parseArgs } from 'node:util';
import {
  AbortError,
  GpuUnavailableError,
  InputError,
  openEngine,
  type AdapterChoice,
  type Backend,
  type Engine,
} from '../engine/index.js';
import { progressBar } from './progress.js';
import type { OptionSpec, Verb, VerbContext } from './verb.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { flagValue, helpRows, parseSpec } from './option-table.js';
import { verbs } from './verbs/index.js';

export const VERSION = '0.1.0';

const COMMON: OptionSpec = parseSpec(GLOBAL_OPTIONS);
const COMMON_USAGE = `Common options:\n${helpRows(GLOBAL_OPTIONS)}`;

function topHelp(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    `specmap ${VERSION} — GPU analysis of spectral images (WebGPU)`,
    '',
    'usage: specmap <verb> [FILE] [options]',
    '',
    'verbs:',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    "Run 'specmap <verb> --help' for a verb's options.",
  ].join('\n');
}

/** parseArgs's errors name the option in a long sentence; keep one short line. */
function argError(verb: string, e: unknown): InputError {
  const err = e as { code?: string; message: string };
  // The quoted option: '-o, --out <value>' names the long form; '--beta' or '-x' alone.
  const quoted = /'(-[^']*)'/.exec(err.message)?.[1] ?? '?';
  const opt = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new InputError(`${verb}: unknown option '${opt}' (see 'specmap ${verb} --help')`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(err.message)) return new InputError(`${verb}: option '${opt}' needs a value`);
      // parseArgs calls a value that starts with '-' "ambiguous" (negative numbers are joined before it looks).
      if (/ambiguous/.test(err.message)) {
        return new InputError(`${verb}: option '${opt}' needs a value (one starting with '-' is written ${opt}=-x)`);
      }
      return new InputError(`${verb}: option '${opt}' takes no value`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new InputError(`${verb}: unexpected argument (see 'specmap ${verb} --help')`);
    default:
      return new InputError(`${verb}: ${err.message.split('\n')[0]}`);
  }
}

/**
 * `--de -0.1` as `--de=-0.1`: parseArgs takes a value that starts with '-' for an option, but a
 * negative number after an option that takes a value can only be that value.
 */
export function joinNegativeValues(args: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const long = /^--([\w-]+)$/.exec(a)?.[1];
    const short = /^-(\w)$/.exec(a)?.[1];
    const name =
      long ?? (short && Object.keys(options).find((k) => (options[k] as { short?: string }).short === short));
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const processIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(topHelp());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.out(VERSION);
    return 0;
  }
  const verb: Verb | undefined = verbs.find((v) => v.name === name);
  if (!verb) {
    io.err(`specmap: unknown verb '${name}' (verbs: ${verbs.map((v) => v.name).join(', ')})`);
    return 2;
  }

  let debug = rest.includes('--debug');
  let engine: Engine | null = null;
  const ac = new AbortController();
  // The first Ctrl-C stops the work at its next check (a dispatch, a file chunk) and the run ends
  // with one line; a second quits at once (write.ts removes any partial file on exit).
  const onSigint = () => {
    if (ac.signal.aborted) {
      io.err('specmap: interrupted');
      process.exit(130);
    }
    ac.abort('interrupted');
  };
  process.on('SIGINT', onSigint);
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      const options = { ...COMMON, ...verb.options };
      parsed = parseArgs({ args: joinNegativeValues(rest, options), options, allowPositionals: true, strict: true });
    } catch (e) {
      throw argError(verb.name, e);
    }
    const values = parsed.values as VerbContext['values'];
    debug = values.debug === true;
    if (values.help) {
      io.out(`${verb.usage}\n\n${COMMON_USAGE}`);
      return 0;
    }
    const backend = (flagValue(GLOBAL_OPTIONS.backend, values) ?? GLOBAL_OPTIONS.backend.default) as Backend;
    const adapter = (flagValue(GLOBAL_OPTIONS.adapter, values) ?? GLOBAL_OPTIONS.adapter.default) as AdapterChoice;
    const quiet = values.quiet === true;
    const ctx: VerbContext = {
      values,
      positionals: parsed.positionals,
      signal: ac.signal,
      out: io.out,
      warn: (l) => io.err(l),
      engine: async () => {
        if (!engine)
          engine = await openEngine({
            backend,
            adapter,
            log: (m) => (quiet && !/warning/.test(m) ? undefined : io.err(m)),
          });
        return engine;
      },
      progress: (label) => {
        if (quiet) return () => undefined;
        const bar = progressBar(label);
        return Object.assign((p: Parameters<typeof bar>[0]) => {
          bar(p);
          if (p.done >= p.total) bar.finish();
        }, {});
      },
    };
    await verb.run(ctx);
    return 0;
  } catch (e) {
    const err = e as Error;
    if (err instanceof InputError) {
      io.err(`specmap: ${err.message}`);
      return 2;
    }
    if (err instanceof AbortError) {
      io.err(`specmap: ${err.message === 'aborted' ? 'stopped' : err.message}`);
      return 130;
    }
    if (err instanceof GpuUnavailableError) {
      io.err(`specmap: ${err.message}`);
      return 3;
    }
    io.err(
      `specmap ${verb.name}: ${err?.message?.split('\n')[0] ?? String(e)}` +
        (debug ? '' : ' (run with --debug for details)'),
    );
    if (debug && err?.stack) io.err(err.stack);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    (engine as Engine | null)?.close();
  }
}
