// Runs every parity suite in Node (Dawn) on each software adapter found (two shader compilers catch
// more kernel bugs than one: lavapipe's LLVM and SwiftShader's Subzero). harness/ runs the same
// suites in headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { openTestEngine, parityAdapters } from '../gpu-engine.js';
import { suites } from '../parity/suites.js';

const adapters = await parityAdapters();

describe.each(adapters)('GPU/CPU parity in Node on %s', (adapter) => {
  describe.each(Object.entries(suites))('%s', (_name, cases) => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await openTestEngine(adapter);
      expect(engine.gpu?.adapterKind, `parity on ${adapter} opened ${engine.description}`).toBe(adapter);
    });
    afterAll(() => engine?.close());
    for (const c of cases) it(c.name, () => c.run(engine));
  });
});
