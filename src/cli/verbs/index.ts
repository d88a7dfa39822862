// Every CLI verb, one import each. Verbs map one-to-one to methods (plus info/demo).
import type { Verb } from '../verb.js';
import { info } from './info.js';

export const verbs: Verb[] = [info];
