// The WGSL generator against the TypeScript one (the parity cases also run in Chromium via harness/).
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { openTestEngine } from '../gpu-engine.js';
import { cases } from '../parity/rng.parity.js';

describe('Philox4x32-10 in WGSL', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());
  for (const c of cases) it(c.name, () => c.run(engine));
});
