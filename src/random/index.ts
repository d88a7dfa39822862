export { philox4x32, mulhi32, uniform24, uniform24Open0, uniform53, boxMuller, checkU32 } from './philox.js';
export { poisson, logFactorial } from './poisson.js';
export { PhiloxStream } from './stream.js';
