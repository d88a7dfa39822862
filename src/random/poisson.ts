// Poisson sampling from a uniform source (synthetic counting data: XPS/XAS counts, noise).
// lambda < 10: inversion by sequential search over the CDF (exact up to float64 rounding).
// lambda >= 10: PTRS, the transformed rejection with squeeze of Hörmann (1993), "The
// transformed rejection method for generating Poisson random variables" (the method numpy uses
// for large lambda); exact in distribution, about 1.1 trials (2.2 uniforms) per draw.
import { InputError } from '../engine/errors.js';

const LOG_FACT_TABLE = 256;
const logFactTable = new Float64Array(LOG_FACT_TABLE);
for (let k = 2; k < LOG_FACT_TABLE; k++) logFactTable[k] = logFactTable[k - 1]! + Math.log(k);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) for integer k >= 0: a summed table below 256, Stirling's series (error < 1e-15 relative) above. */
export function logFactorial(k: number): number {
  if (k < LOG_FACT_TABLE) return logFactTable[k]!;
  const n = k + 1;
  const r = 1 / n;
  const r2 = r * r;
  return (n - 0.5) * Math.log(n) - n + HALF_LOG_2PI + r * (1 / 12 - r2 * (1 / 360 - r2 / 1260));
}

/** One Poisson(lambda) draw; `uniform` returns doubles in [0, 1). */
export function poisson(lambda: number, uniform: () => number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda))
    throw new InputError(`Poisson mean must be finite and >= 0, got ${lambda}`);
  if (lambda === 0) return 0;
  return lambda < 10 ? poissonInversion(lambda, uniform) : poissonPtrs(lambda, uniform);
}

function poissonInversion(lambda: number, uniform: () => number): number {
  const u = uniform();
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  // The CDF can stall just below 1 in float64; past k = 200 the remaining mass is < 1e-150.
  while (u > cdf && k < 200) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

function poissonPtrs(lambda: number, uniform: () => number): number {
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k))
      return k;
  }
}
