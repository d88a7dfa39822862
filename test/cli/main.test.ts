import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinNegativeValues, main, type Io } from '../../src/cli/main.js';
import { InputError } from '../../src/engine/index.js';
import type { Verb } from '../../src/cli/verb.js';
import { verbs } from '../../src/cli/verbs/index.js';

function capture(): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l) };
}

const probe: Verb = {
  name: 'probe-test',
  summary: 'test verb',
  usage: 'specmap probe-test FILE [--level N]',
  usesEngine: true,
  options: { level: { type: 'string' }, out: { type: 'string', short: 'o' } },
  async run(ctx) {
    if (ctx.positionals[0] === 'bad') throw new InputError('bad: pixel (1, 2) is NaN');
    if (ctx.positionals[0] === 'crash') throw new Error('internal detail\nwith a second line');
    const engine = await ctx.engine();
    ctx.out(`backend=${engine.backend} level=${String(ctx.values.level)}`);
  },
};

describe('specmap CLI', () => {
  beforeAll(() => verbs.push(probe));
  afterAll(() => verbs.splice(verbs.indexOf(probe), 1));

  it('lists verbs with --help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.outLines.join('\n')).toContain('probe-test');
  });

  it('an unknown verb is one line, exit 2', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toMatch(/unknown verb 'frobnicate'/);
  });

  it('an unknown option is one line naming it, exit 2', async () => {
    const io = capture();
    expect(await main(['probe-test', 'x', '--levle', '3'], io)).toBe(2);
    expect(io.errLines).toEqual([`specmap: probe-test: unknown option '--levle' (see 'specmap probe-test --help')`]);
  });

  it('a missing option value is one line', async () => {
    const io = capture();
    expect(await main(['probe-test', 'x', '--level'], io)).toBe(2);
    expect(io.errLines[0]).toMatch(/option '--level' needs a value/);
  });

  it('a missing value of an option with a short form names the long option', async () => {
    const io = capture();
    expect(await main(['probe-test', 'x', '--out'], io)).toBe(2);
    expect(io.errLines).toEqual([`specmap: probe-test: option '--out' needs a value`]);
  });

  it('an option followed by another option (its value forgotten) asks for a value, with the = form for a dash', async () => {
    for (const args of [
      ['--level', '--out', 'dir'],
      ['--level', '-x'],
    ]) {
      const io = capture();
      expect(await main(['probe-test', 'x', ...args], io)).toBe(2);
      expect(io.errLines).toHaveLength(1);
      expect(io.errLines[0]).toMatch(/option '--level' needs a value .*--level=-x/);
    }
  });

  it('takes a negative number after an option as its value (--level -5, -o -1.5)', async () => {
    for (const [args, want] of [
      [['--level', '-5'], 'level=-5'],
      [['--level', '-.5e-3'], 'level=-.5e-3'],
      [['--level=-2'], 'level=-2'],
    ] as const) {
      const io = capture();
      expect(await main(['probe-test', 'x', ...args, '--backend', 'cpu'], io)).toBe(0);
      expect(io.outLines.join('\n')).toContain(want);
    }
    expect(
      joinNegativeValues(['-o', '-1.5', '--quiet', '-3'], {
        out: { type: 'string', short: 'o' },
        quiet: { type: 'boolean' },
      }),
    ).toEqual(['--out=-1.5', '--quiet', '-3']);
    expect(joinNegativeValues(['--', '--level', '-1'], { level: { type: 'string' } })).toEqual(['--', '--level', '-1']);
  });

  it('a value given to a flag is refused as such', async () => {
    const io = capture();
    expect(await main(['probe-test', 'x', '--quiet=yes'], io)).toBe(2);
    expect(io.errLines).toEqual([`specmap: probe-test: option '--quiet' takes no value`]);
  });

  it('a bad backend is refused', async () => {
    const io = capture();
    expect(await main(['probe-test', 'x', '--backend', 'cuda'], io)).toBe(2);
    expect(io.errLines[0]).toMatch(/--backend must be auto, webgpu or cpu/);
  });

  it('InputError becomes one line and exit 2; other errors one line and exit 1 without a stack', async () => {
    let io = capture();
    expect(await main(['probe-test', 'bad'], io)).toBe(2);
    expect(io.errLines).toEqual(['specmap: bad: pixel (1, 2) is NaN']);
    io = capture();
    expect(await main(['probe-test', 'crash'], io)).toBe(1);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toMatch(/internal detail \(run with --debug/);
  });

  it('runs a verb on the chosen backend', async () => {
    const io = capture();
    expect(await main(['probe-test', 'ok', '--backend', 'cpu', '--level', '3'], io)).toBe(0);
    expect(io.outLines).toEqual(['backend=cpu level=3']);
  });
});
