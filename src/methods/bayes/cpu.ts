// The float64 CPU reference of replica-exchange Monte Carlo (the specification the WGSL kernel
// kernels/bayes/remc.wgsl follows step for step, on the same Philox numbers):
//  1. every replica: residual r = y − f(θ) afresh, then one Metropolis move per parameter
//     (uniform proposal θ ± step[t][j], t its temperature), the model updated incrementally
//     for the one component moved; positions kept ordered (μ_1 < μ_2 < …: no label switching);
//  2. exchanges of adjacent temperatures (t, t+1), t even on even sweeps, odd on odd ones;
//  3. burn-in: every ADAPT_WINDOW sweeps each step is scaled toward 50 % acceptance;
//     sampling: per temperature Σθ, Σθ², the stepping-stone terms (log-sum-exp), thinned samples.
import { philox4x32, uniform24, uniform24Open0 } from '../../random/index.js';
import type { RemcBackend, RemcRun } from './backend.js';
import { groupWord, type RemcBatch, type RemcState } from './batch.js';
import { ADAPT_WINDOW, RNG_MOVE, RNG_SWAP } from './layout.js';

/** Step scale after a window with acceptance `rate`: (rate + 0.1) / 0.6, within [0.5, 2]. */
export function stepScale(rate: number): number {
  return Math.min(2, Math.max(0.5, (rate + 0.1) / 0.6));
}

/** Log prior ratio of moving parameter j from `from` to `to` (−Infinity outside the support). */
export function logPriorRatio(b: RemcBatch, j: number, from: number, to: number): number {
  const p = b.priors;
  if (j === 3 * b.K) return -((to - p.cMean) ** 2 - (from - p.cMean) ** 2) / (2 * p.cSd * p.cSd);
  const kind = j % 3;
  if (kind === 1) return -((to - p.muMean) ** 2 - (from - p.muMean) ** 2) / (2 * p.muVar);
  if (!(to > 0)) return -Infinity;
  const [shape, rate] = kind === 0 ? [p.aShape, p.aRate] : [p.bShape, p.bRate];
  return (shape - 1) * Math.log(to / from) - rate * (to - from);
}

/** Sees every accept/reject decision: group, state and parameter of a move (or pair t and j = −1
 * of an exchange), log u and the log acceptance ratio (parity tests measure how close to the
 * threshold a GPU/CPU disagreement was). */
export type MoveObserver = (g: number, s: number, j: number, logU: number, logAlpha: number) => void;

/** Advance every group of the batch by `count` sweeps from `sweep0` (float64 throughout). */
export function runSweeps(b: RemcBatch, st: RemcState, sweep0: number, count: number, observe?: MoveObserver): void {
  for (let g = 0; g < b.groups; g++) for (let s = sweep0; s < sweep0 + count; s++) sweepGroup(b, st, g, s, observe);
}

function sweepGroup(b: RemcBatch, st: RemcState, g: number, sweep: number, observe?: MoveObserver): void {
  const ly = b.layout;
  const { L, P } = ly;
  const { n, K } = b;
  const fo = g * ly.fStride;
  const uo = g * ly.uStride;
  const ao = g * ly.aStride;
  const spectrum = Math.floor(g / b.chains);
  const gw = groupWord(b, g);
  const y = b.y.subarray(spectrum * n, (spectrum + 1) * n);
  const x = b.x;
  const s0 = b.s0[spectrum]!;
  const inv2s2 = 1 / (2 * s0 * s0);
  const sampling = sweep >= b.burnIn;
  const f = st.f;
  const u = st.u;
  const r = new Float64Array(n);
  const d = new Float64Array(n);
  const w = new Uint32Array(4);

  for (let s = 0; s < L; s++) {
    const t = u[uo + ly.uPerm + s]!;
    const beta = b.betas[t]!;
    const th = fo + ly.fTheta + s * P;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      let m = b.background ? f[th + 3 * K]! : 0;
      for (let k = 0; k < K; k++) {
        const dx = x[i]! - f[th + 3 * k + 1]!;
        m += f[th + 3 * k]! * Math.exp(-0.5 * f[th + 3 * k + 2]! * dx * dx);
      }
      r[i] = y[i]! - m;
      ss += r[i]! * r[i]!;
    }
    for (let j = 0; j < P; j++) {
      philox4x32(sweep, gw, s * 64 + j, RNG_MOVE, b.seed, b.first + spectrum, w);
      const old = f[th + j]!;
      const prop = old + f[fo + ly.fStep + t * P + j]! * (2 * uniform24(w[0]!) - 1);
      let ok = true;
      if (j < 3 * K && j % 3 === 1) {
        const k = (j - 1) / 3;
        if (k > 0 && !(prop > f[th + j - 3]!)) ok = false;
        if (k < K - 1 && !(prop < f[th + j + 3]!)) ok = false;
      }
      const dlp = ok ? logPriorRatio(b, j, old, prop) : -Infinity;
      if (!(dlp > -Infinity)) continue;
      let dss = 0;
      if (j === 3 * K) {
        const dc = prop - old;
        for (let i = 0; i < n; i++) {
          d[i] = dc;
          dss += dc * (dc - 2 * r[i]!);
        }
      } else {
        const k = Math.floor(j / 3);
        const a0 = f[th + 3 * k]!;
        const m0 = f[th + 3 * k + 1]!;
        const b0 = f[th + 3 * k + 2]!;
        const a1 = j === 3 * k ? prop : a0;
        const m1 = j === 3 * k + 1 ? prop : m0;
        const b1 = j === 3 * k + 2 ? prop : b0;
        for (let i = 0; i < n; i++) {
          const e0 = x[i]! - m0;
          const e1 = x[i]! - m1;
          const di = a1 * Math.exp(-0.5 * b1 * e1 * e1) - a0 * Math.exp(-0.5 * b0 * e0 * e0);
          d[i] = di;
          dss += di * (di - 2 * r[i]!);
        }
      }
      const logAlpha = -beta * dss * inv2s2 + dlp;
      const logU = Math.log(uniform24Open0(w[1]!));
      observe?.(g, s, j, logU, logAlpha);
      if (logU < logAlpha) {
        f[th + j] = prop;
        for (let i = 0; i < n; i++) r[i] -= d[i]!;
        ss += dss;
        u[uo + (sampling ? ly.uAcc : ly.uWin) + t * P + j]!++;
      }
    }
    f[fo + ly.fSs + s] = ss;
  }

  // Exchanges: pairs (t, t+1) with t of the sweep's parity; the states holding them swap temperatures.
  const inv = new Int32Array(L);
  for (let s = 0; s < L; s++) inv[u[uo + ly.uPerm + s]!] = s;
  for (let t = sweep & 1; t + 1 < L; t += 2) {
    philox4x32(sweep, gw, t, RNG_SWAP, b.seed, b.first + spectrum, w);
    const lo = inv[t]!;
    const hi = inv[t + 1]!;
    const logAlpha = (b.betas[t + 1]! - b.betas[t]!) * (f[fo + ly.fSs + hi]! - f[fo + ly.fSs + lo]!) * inv2s2;
    const logU = Math.log(uniform24Open0(w[0]!));
    observe?.(g, t, -1, logU, logAlpha);
    if (logU < logAlpha) {
      u[uo + ly.uPerm + lo] = t + 1;
      u[uo + ly.uPerm + hi] = t;
      inv[t] = hi;
      inv[t + 1] = lo;
      if (sampling) u[uo + ly.uExch + t]!++;
    }
  }

  for (let s = 0; s < L; s++) {
    const t = u[uo + ly.uPerm + s]!;
    // Round trips: bottom (t = 0) → top (t = L − 1) → bottom; dir 1 = last end seen was the bottom.
    const dir = u[uo + ly.uDir + s]!;
    if (t === 0) {
      if (dir === 2 && sampling) u[uo + ly.uTrips + s]!++;
      u[uo + ly.uDir + s] = 1;
    } else if (t === L - 1 && dir === 1) u[uo + ly.uDir + s] = 2;
  }

  if (!sampling) {
    if ((sweep + 1) % ADAPT_WINDOW === 0)
      for (let t = 0; t < L; t++)
        for (let j = 0; j < P; j++) {
          const at = fo + ly.fStep + t * P + j;
          const scaled = f[at]! * stepScale(u[uo + ly.uWin + t * P + j]! / ADAPT_WINDOW);
          f[at] = Math.min(b.maxStep[j]!, scaled);
          u[uo + ly.uWin + t * P + j] = 0;
        }
    return;
  }
  const a = st.a;
  const k = sweep - b.burnIn;
  const keep = (k + 1) % b.thin === 0 ? (k + 1) / b.thin - 1 : -1;
  for (let s = 0; s < L; s++) {
    const t = u[uo + ly.uPerm + s]!;
    const th = fo + ly.fTheta + s * P;
    const ss = f[fo + ly.fSs + s]!;
    a[ao + ly.aEsum + t] += ss;
    for (let j = 0; j < P; j++) {
      const v = f[th + j]!;
      a[ao + ly.aMom + 2 * (t * P + j)] += v;
      a[ao + ly.aMom + 2 * (t * P + j) + 1] += v * v;
      if (keep >= 0 && keep < ly.S) st.samples[g * ly.sStride + (keep * L + t) * P + j] = v;
    }
    if (t + 1 < L) {
      // Stepping stone: x = −(β_{t+1} − β_t) ss / (2 s0²), summed as exp(x − max) with a running max.
      const xs = -(b.betas[t + 1]! - b.betas[t]!) * ss * inv2s2;
      const at = ao + ly.aLse + 2 * t;
      if (xs > a[at]!) {
        a[at + 1] = a[at + 1]! * Math.exp(a[at]! - xs) + 1;
        a[at] = xs;
      } else a[at + 1] += Math.exp(xs - a[at]!);
    }
  }
}

/** The CPU backend: queued sweeps run on host arrays when awaited, group by group, yielding to
 * the event loop every YIELD_MS so progress, abort and timers stay live. */
const YIELD_MS = 50;

export class CpuRemcBackend implements RemcBackend {
  readonly name = 'cpu';
  start(b: RemcBatch, init: RemcState): RemcRun {
    const st: RemcState = {
      f: Float64Array.from(init.f),
      u: Uint32Array.from(init.u),
      a: Float64Array.from(init.a),
      samples: Float64Array.from(init.samples),
    };
    const queue: [number, number][] = [];
    const drain = async () => {
      let last = performance.now();
      while (queue.length) {
        const [sweep0, count] = queue.shift()!;
        for (let g = 0; g < b.groups; g++) {
          for (let sw = sweep0; sw < sweep0 + count; sw++) sweepGroup(b, st, g, sw);
          if (performance.now() - last > YIELD_MS) {
            await new Promise((r) => setTimeout(r, 0));
            last = performance.now();
          }
        }
      }
    };
    return {
      run: (sweep0, count) => void queue.push([sweep0, count]),
      sync: drain,
      read: async () => {
        await drain();
        return st;
      },
      dispose: () => undefined,
    };
  }
}
