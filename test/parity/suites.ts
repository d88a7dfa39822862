// Every method's parity suite, by name. Add one line per method; Node and Chromium both run all.
import type { ParityCase } from './types.js';
import { cases as engine } from './engine.parity.js';
import { cases as rng } from './rng.parity.js';
import { cases as mrf } from './mrf.parity.js';
import { cases as peaks } from './peaks.parity.js';
import { cases as nmf } from './nmf.parity.js';
import { cases as bayes } from './bayes.parity.js';

export const suites: Record<string, ParityCase[]> = {
  engine,
  rng,
  mrf,
  peaks,
  nmf,
  bayes,
};
