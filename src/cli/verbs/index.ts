// Every CLI verb, one import each. Verbs map one-to-one to methods (plus info/demo).
import type { Verb } from '../verb.js';
import { doctor } from './doctor.js';
import { info } from './info.js';
import { demo } from './demo.js';
import { fit } from './fit.js';
import { nmfVerb } from './nmf.js';
import { screeVerb } from './scree.js';
import { segmentVerb } from './segment.js';
import { bayesVerb } from './bayes.js';

export const verbs: Verb[] = [fit, nmfVerb, screeVerb, segmentVerb, bayesVerb, demo, info, doctor];
