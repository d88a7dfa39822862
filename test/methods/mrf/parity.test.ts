// The Potts-MRF parity cases in Node (they also run in Chromium through harness/).
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.js';
import { openTestEngine } from '../../gpu-engine.js';
import { cases } from '../../parity/mrf.parity.js';

describe('Potts-MRF GPU kernels vs the float64 reference', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine();
  });
  afterAll(() => engine?.close());
  for (const c of cases) it(c.name, () => c.run(engine));
});
