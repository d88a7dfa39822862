// The command line made from option tables (methods/option-table.ts): parseArgs declarations,
// typed reads checked with the table's rule (naming the flag), and the --help rows.
import { InputError } from '../engine/errors.js';
import { checkValue, defaultShown, type OptionDef, type OptionTable } from '../methods/option-table.js';
import type { OptionSpec, VerbContext } from './verb.js';

type Values = VerbContext['values'];

/** parseArgs declarations of every option in `table` that has a flag. */
export function parseSpec(table: OptionTable): OptionSpec {
  const spec: OptionSpec = {};
  for (const def of Object.values(table)) {
    if (!def.flag) continue;
    spec[def.flag] = {
      type: def.kind === 'boolean' ? 'boolean' : 'string',
      ...(def.short ? { short: def.short } : {}),
      ...(def.kind === 'text' && def.multiple ? { multiple: true } : {}),
    };
  }
  return spec;
}

/** The value of one flag as its table entry types it, checked; undefined when not given. */
export function flagValue(def: OptionDef, values: Values): unknown {
  const who = `--${def.flag}`;
  const raw = values[def.flag!];
  if (raw === undefined) return undefined;
  if (def.kind === 'boolean') return raw === true ? true : undefined;
  if (def.kind === 'text') {
    if (def.multiple) return (Array.isArray(raw) ? raw : [raw]).map(String);
    if (typeof raw !== 'string') throw new InputError(`${who} needs a value`);
    return raw;
  }
  if (typeof raw !== 'string') throw new InputError(`${who} needs a value`);
  if (def.kind === 'choice') {
    const numeric = typeof def.choices[0] === 'number';
    const v = numeric && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    // The typed text is what the message quotes.
    if (!(def.choices as readonly unknown[]).includes(v)) checkValue(def, raw, who);
    return v;
  }
  if (def.words?.includes(raw)) return raw;
  const v = raw.trim() === '' ? NaN : Number(raw);
  const kind = def.kind === 'integer' ? 'an integer' : 'a number';
  if (!Number.isFinite(v) || (def.kind === 'integer' && !Number.isInteger(v)))
    throw new InputError(`${who} must be ${kind}, not '${raw}'`);
  checkValue(def, v, who);
  return v;
}

/** Every flag of `table` given on the command line, keyed by option name, each checked. */
export function tableValues<T extends OptionTable>(table: T, values: Values): Partial<Record<keyof T, unknown>> {
  const out: Partial<Record<keyof T, unknown>> = {};
  for (const [key, def] of Object.entries(table)) {
    if (!def.flag) continue;
    const v = flagValue(def, values);
    if (v !== undefined) out[key as keyof T] = v;
  }
  return out;
}

const FLAG_COLUMN = 23;
const WIDTH = 100;

/** The --help rows of `table`'s flags: '  --flag META   help (default X)', wrapped. */
export function helpRows(table: OptionTable): string {
  return Object.values(table)
    .filter((d) => d.flag)
    .map(helpRow)
    .join('\n');
}

export function helpRow(def: OptionDef): string {
  const meta = def.kind === 'boolean' ? '' : ` ${def.meta ?? 'X'}`;
  const name = `  ${def.short ? `-${def.short}, ` : ''}--${def.flag}${meta}`;
  const shown = defaultShown(def);
  const text = shown ? `${def.help} (default ${shown})` : def.help;
  const lines = text.split('\n').flatMap((l) => wrap(l, WIDTH - FLAG_COLUMN));
  const pad = ' '.repeat(FLAG_COLUMN);
  const first = name.length < FLAG_COLUMN - 1 ? name.padEnd(FLAG_COLUMN) + lines[0] : `${name}\n${pad}${lines[0]}`;
  return [first, ...lines.slice(1).map((l) => pad + l)].join('\n');
}

/** Words of `line` in lines of at most `width` characters (leading spaces kept on the first). */
function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const words = line.trim().split(/ +/);
  const out: string[] = [];
  let cur = indent;
  for (const w of words) {
    if (cur.trim() && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = indent + w;
    } else cur = cur.trim() ? `${cur} ${w}` : indent + w;
  }
  out.push(cur);
  return out;
}

/** How the command line names a method's options in its warnings: by flag. */
export function flagNamer(table: OptionTable): (option: string) => string {
  return (option) => {
    if (option === 'energy') return '--energy, or --e0 and --de';
    const flag = table[option]?.flag;
    return flag ? `--${flag}` : option;
  };
}
