// The parity suites again, inside headless Chromium (harness/): one vitest test per case.
import { beforeAll, describe, expect, it } from 'vitest';
import { runParityInChromium, type ChromiumRun } from '../../harness/chromium.js';
import { suites } from '../parity/suites.js';

let run: ChromiumRun;

beforeAll(async () => {
  run = await runParityInChromium();
  if (run.fatal) throw new Error(`Chromium harness failed: ${run.fatal}\n${run.console.join('\n')}`);
}, 20 * 60_000);

describe.each(Object.entries(suites))('GPU/CPU parity in Chromium: %s', (suite, cases) => {
  it('ran on a WebGPU adapter in the browser', () => {
    expect(run.adapter, 'no adapter in Chromium').toBeTruthy();
  });
  for (const c of cases) {
    it(c.name, () => {
      const r = run.results.find((x) => x.suite === suite && x.name === c.name);
      expect(r, `case did not run in Chromium`).toBeDefined();
      if (!r!.ok) throw new Error(r!.error);
    });
  }
});
