// Library and command line refuse the same bad option value with the same one line, the library
// naming the option and the CLI its flag: both check against the method's one option table.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeNpy } from './run-cli.js';
import type { NumberOption, OptionTable } from '../../src/methods/option-table.js';
import { PEAK_OPTIONS, resolvePeaks } from '../../src/methods/peaks/model.js';
import { NMF_OPTIONS, resolveNmf } from '../../src/methods/nmf/model.js';
import { MRF_OPTIONS, resolveMrf } from '../../src/methods/mrf/model.js';
import { BAYES_OPTIONS, bayesSettings } from '../../src/methods/bayes/model.js';
import { verbs } from '../../src/cli/verbs/index.js';

let file: string;
const ny = 4;
const nx = 5;
const channels = 12;
const data = Float32Array.from({ length: ny * nx * channels }, (_, i) => 2 + Math.sin(i * 0.7) + (i % 3));
const energy = Float64Array.from({ length: channels }, (_, c) => 100 + c);

beforeAll(() => {
  file = writeNpy(join(tempDir(), 'map.npy'), data, [ny, nx, channels]);
});

/** Values just outside each bound of a numeric option (and a fraction for integers). */
function badValues(def: NumberOption): number[] {
  const bad: number[] = [];
  if (def.min !== undefined) bad.push(def.exclusiveMin ? def.min : def.min - 1);
  if (def.max !== undefined) bad.push(def.exclusiveMax ? def.max : def.max + 1);
  if (def.kind === 'integer') bad.push((def.min ?? 0) + 1.5);
  return bad;
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(accepted)';
}

const cases: [string, OptionTable, string[], (key: string, v: unknown) => unknown][] = [
  ['fit', PEAK_OPTIONS, ['--peaks', '105'], (key, v) => resolvePeaks({ peaks: 1, [key]: v }, energy)],
  ['nmf', NMF_OPTIONS, ['-k', '2'], (key, v) => resolveNmf({ k: 2, [key]: v }, ny * nx, channels)],
  ['segment', MRF_OPTIONS, ['-k', '2'], (key, v) => resolveMrf({ data, ny, nx, channels }, { k: 2, [key]: v })],
  ['bayes', BAYES_OPTIONS, [], (key, v) => bayesSettings({ kmax: 1, [key]: v }, energy, data, ny * nx)],
];

describe('one option table: the library names the option, the CLI the flag, in the same words', () => {
  for (const [verb, table, needed, library] of cases) {
    it(`${verb}: every bounded numeric option with a flag`, async () => {
      let checked = 0;
      for (const [key, def] of Object.entries(table)) {
        if ((def.kind !== 'number' && def.kind !== 'integer') || !def.flag) continue;
        for (const v of badValues(def)) {
          const lib = messageOf(() => library(key, v));
          expect(lib, `${verb} ${key} = ${v}`).toMatch(new RegExp(`^${key} must be .*, not ${v}$`));
          const args = key === 'k' ? [] : needed;
          const r = await runCli([verb, file, ...args, `--${def.flag}=${v}`, '--out', join(tempDir(), 'never')]);
          const cli = `--${def.flag}${lib.slice(key.length)}`;
          // An integer flag given a fraction is refused as text, before the bounds.
          const expected =
            Number.isInteger(v) || def.kind !== 'integer' ? cli : `--${def.flag} must be an integer, not '${v}'`;
          expect(r.code, `${verb} --${def.flag}=${v}`).toBe(2);
          expect(r.err, `${verb} --${def.flag}=${v}`).toEqual([`specmap: ${expected}`]);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(4);
    });
  }

  it('the drift the tables remove: --tol 1 and --ll-floor 0.6 are refused by both, in the same words', async () => {
    expect(messageOf(() => resolvePeaks({ peaks: 1, tol: 1 }, energy))).toBe('tol must be >= 0 and < 1, not 1');
    const tol = await runCli(['fit', file, '--peaks', '105', '--tol', '1', '--out', join(tempDir(), 'never')]);
    expect(tol.err).toEqual(['specmap: --tol must be >= 0 and < 1, not 1']);
    expect(messageOf(() => resolvePeaks({ peaks: 1, llFloor: 0.6 }, energy))).toBe(
      'llFloor must be >= 0 and <= 0.5, not 0.6',
    );
    const floor = await runCli(['fit', file, '--peaks', '105', '--ll-floor', '0.6', '--out', join(tempDir(), 'never')]);
    expect(floor.err).toEqual(['specmap: --ll-floor must be >= 0 and <= 0.5, not 0.6']);
  });

  it("every table flag is one of its verb's options, and --help shows each default", () => {
    for (const [verb, table] of cases) {
      const v = verbs.find((x) => x.name === verb)!;
      for (const def of Object.values(table)) {
        if (!def.flag) continue;
        expect(Object.keys(v.options), verb).toContain(def.flag);
        if (def.default !== undefined && def.defaultText === undefined && def.kind !== 'boolean')
          expect(v.usage.replace(/\s+/g, ' '), `${verb} --${def.flag}`).toContain(`(default ${def.default})`);
      }
    }
  });
});
