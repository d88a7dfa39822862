// Every CLI verb, one import each. Verbs map one-to-one to methods (plus info/demo).
import type { Verb } from '../verb.js';
import { info } from './info.js';
import { demo } from './demo.js';
import { fit } from './fit.js';

export const verbs: Verb[] = [fit, demo, info];
