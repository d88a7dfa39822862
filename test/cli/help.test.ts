// Every verb's --help names every option the verb accepts (long and short forms), so a user
// reading the help can find everything parseArgs would take.
import { describe, expect, it } from 'vitest';
import { verbs } from '../../src/cli/verbs/index.js';

describe('verb help', () => {
  for (const verb of verbs) {
    it(`${verb.name}: the usage names every option it accepts`, () => {
      const missing: string[] = [];
      for (const [name, spec] of Object.entries(verb.options)) {
        if (!new RegExp(`--${name}(?![\\w-])`).test(verb.usage)) missing.push(`--${name}`);
        const short = (spec as { short?: string }).short;
        if (short && !new RegExp(`(^|[\\s,(])-${short}(?![\\w-])`, 'm').test(verb.usage)) missing.push(`-${short}`);
      }
      expect(missing, `${verb.name} --help lacks ${missing.join(', ')}`).toEqual([]);
    });
  }

  it('every verb that reads a spectrum file names each input format in its FILE line', () => {
    for (const verb of verbs.filter((v) => /^specmap \w+ FILE/.test(v.usage))) {
      const file = /^ {2}FILE {2,}([\s\S]*?)\n {2}-/m.exec(verb.usage)?.[1] ?? '';
      for (const ext of ['.npy', '.npz', '.h5', '.nxs']) expect(file, `${verb.name} --help: FILE`).toContain(ext);
      expect(file, `${verb.name} --help: FILE`).toMatch(/\.csv|text table/);
    }
  });

  it('nmf --help names exactly the methods that prune and merge components (they may return fewer than N)', async () => {
    const { NMF_METHODS, prunes } = await import('../../src/methods/nmf/model.js');
    const usage = verbs.find((v) => v.name === 'nmf')!.usage.replace(/\s+/g, ' ');
    const said =
      /; ((?:\w+, )*\w+ and \w+) drop components under 1 % of the total and merge spectra with cosine >= 0\.99, so they may return fewer than N/.exec(
        usage,
      );
    expect(said, usage).not.toBeNull();
    expect(said![1]!.split(/, | and /).sort()).toEqual(NMF_METHODS.filter(prunes).slice().sort());
  });

  it("the energy options' help shows a descending axis's negative step", async () => {
    const { ENERGY_USAGE } = await import('../../src/cli/options.js');
    expect(ENERGY_USAGE).toContain('--de -0.1');
  });
});
