// One table per method declares each option once: its type, bounds, default, CLI flag and help
// line. The method checks its options against the table (naming the option), the CLI builds its
// parser, checks (naming the flag) and --help from the same table, so the two cannot drift.
import { InputError } from '../engine/errors.js';

interface OptionBase {
  /** One help line (more lines with '\n'); the default is appended unless `defaultText` says otherwise. */
  help: string;
  /** The CLI flag without '--'; absent: a library-only option. */
  flag?: string;
  /** One-letter CLI alias. */
  short?: string;
  /** The value's name in --help (e.g. N, T, LIST). */
  meta?: string;
  /** What --help says about the default when it is not `default` itself (e.g. computed from the data);
   *  '' says nothing. */
  defaultText?: string;
}

export interface NumberOption extends OptionBase {
  kind: 'integer' | 'number';
  min?: number;
  max?: number;
  /** Also refuse the bound itself. */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** A number, or one of `words`. */
  default?: number | string;
  /** Words the library also accepts in place of a number (e.g. 'estimate'); the CLI has its own flag for them. */
  words?: readonly string[];
}

export interface ChoiceOption<T extends string | number = string | number> extends OptionBase {
  kind: 'choice';
  choices: readonly T[];
  default?: T;
}

export interface BooleanOption extends OptionBase {
  kind: 'boolean';
  default?: boolean;
}

/** A value the CLI reads as text and the method parses or checks itself (peak lists, files, ranges). */
export interface TextOption extends OptionBase {
  kind: 'text';
  multiple?: boolean;
  default?: string;
}

export type OptionDef = NumberOption | ChoiceOption | BooleanOption | TextOption;
export type OptionTable = Record<string, OptionDef>;

/** What a checked option holds. */
export type ValueOf<D> = D extends { kind: 'integer' | 'number' }
  ? number
  : D extends { kind: 'choice'; choices: readonly (infer T)[] }
    ? T
    : D extends { kind: 'boolean' }
      ? boolean
      : string;

/** The value of table[key] given by a caller (undefined: the default), checked; `who` names it in errors. */
export function optionValue<T extends OptionTable, K extends keyof T & string>(
  table: T,
  key: K,
  given: unknown,
  who: string = key,
): ValueOf<T[K]> {
  const def = table[key]!;
  const v = given === undefined ? def.default : given;
  if (v === undefined) throw new InputError(`${who} is required`);
  checkValue(def, v, who);
  return v as ValueOf<T[K]>;
}

/** The rule a value of `def` obeys, in words: 'an integer >= 1 and <= 64', "'mean' or 'user'". */
export function ruleOf(def: OptionDef): string {
  switch (def.kind) {
    case 'integer':
    case 'number': {
      const kind = def.kind === 'integer' ? 'an integer' : 'a number';
      const b = boundsOf(def);
      return b ? `${kind} ${b}` : kind;
    }
    case 'choice':
      return orList(def.choices.map((c) => String(c)));
    case 'boolean':
      return 'true or false';
    case 'text':
      return 'text';
  }
}

function boundsOf(def: NumberOption): string {
  const lo = def.min === undefined ? '' : `${def.exclusiveMin ? '>' : '>='} ${def.min}`;
  const hi = def.max === undefined ? '' : `${def.exclusiveMax ? '<' : '<='} ${def.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

function orList(words: string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Throws one line `<who> must be <rule>, not <value>` unless `v` obeys `def`. */
export function checkValue(def: OptionDef, v: unknown, who: string): void {
  const shown = typeof v === 'string' ? `'${v}'` : String(v);
  switch (def.kind) {
    case 'integer':
    case 'number': {
      if (typeof v === 'string' && def.words?.includes(v)) return;
      const kind = def.kind === 'integer' ? 'an integer' : 'a number';
      const also = def.words?.length ? ` (or ${orList(def.words.map((w) => `'${w}'`))})` : '';
      if (typeof v !== 'number' || !Number.isFinite(v) || (def.kind === 'integer' && !Number.isInteger(v)))
        throw new InputError(`${who} must be ${kind}${also}, not ${shown}`);
      const low = def.min === undefined || (def.exclusiveMin ? v > def.min : v >= def.min);
      const high = def.max === undefined || (def.exclusiveMax ? v < def.max : v <= def.max);
      if (!low || !high) {
        const rule = def.kind === 'integer' ? `an integer ${boundsOf(def)}` : boundsOf(def);
        throw new InputError(`${who} must be ${rule}${also}, not ${shown}`);
      }
      return;
    }
    case 'choice':
      if (!(def.choices as readonly unknown[]).includes(v))
        throw new InputError(`${who} must be ${ruleOf(def)}, not ${shown}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') throw new InputError(`${who} must be true or false, not ${shown}`);
      return;
    case 'text':
      if (typeof v !== 'string') throw new InputError(`${who} must be text, not ${shown}`);
      return;
  }
}

/** The default as --help shows it. */
export function defaultShown(def: OptionDef): string {
  if (def.defaultText !== undefined) return def.defaultText;
  if (def.default === undefined || def.kind === 'boolean') return '';
  return String(def.default);
}
