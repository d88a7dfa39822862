// Runs every parity suite in Node (Dawn). harness/ runs the same suites in headless Chromium.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { openTestEngine } from '../gpu-engine.js';
import { suites } from '../parity/suites.js';

describe.each(Object.entries(suites))('GPU/CPU parity in Node: %s', (_name, cases) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());
  for (const c of cases) it(c.name, () => c.run(engine));
});
