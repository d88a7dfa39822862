// Axis and colour-bar ticks: 'nice' round values (1, 2, 5 × 10^k) and labels that share decimals.

/** About `count` round values covering [lo, hi] (lo may exceed hi). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [];
  if (a === b) return [a];
  const raw = (b - a) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The 1-2-5 steps from fine to coarse; the coarsest not below raw, unless it leaves fewer than
  // two ticks in the range (0.5 … 1.9 in steps of 1 would label only '1': a reader could not tell
  // the scale), then the next finer one.
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10].map((m) => m * mag);
  let i = steps.findIndex((s) => s >= raw);
  let out = ticksAt(a, b, steps[i]!);
  while (out.length < 2 && i > 0) out = ticksAt(a, b, steps[--i]!);
  return out;
}

function ticksAt(a: number, b: number, step: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(a / step - 1e-9); k * step <= b + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Powers of ten in [lo, hi] (lo, hi > 0); with fewer than two, 1-2-5 steps within each decade. */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  if (!(a > 0) || !Number.isFinite(b)) return [];
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(a) - 1e-9); 10 ** e <= b * (1 + 1e-9); e++)
    decades.push(Number((10 ** e).toPrecision(12)));
  if (decades.length >= 2) return decades;
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(a)); 10 ** e <= b; e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9)) out.push(v);
    }
  }
  return out.length ? out : niceTicks(a, b);
}

/** Labels for a set of ticks: the same number of decimals for all, exponent form for very large/small. */
export function formatTicks(ticks: number[]): string[] {
  const big = Math.max(0, ...ticks.map(Math.abs));
  if (big >= 1e5 || (big > 0 && big < 1e-3))
    return ticks.map((t) => (t === 0 ? '0' : t.toExponential(1).replace('e+', 'e')));
  let decimals = 0;
  while (decimals < 6 && ticks.some((t) => Math.abs(Number(t.toFixed(decimals)) - t) > Math.abs(t) * 1e-9 + 1e-12))
    decimals++;
  return ticks.map((t) => {
    const s = t.toFixed(decimals);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  });
}
