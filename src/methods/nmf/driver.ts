// The NMF loop shared by both backends: start (NNDSVD/NNDSVDa/random), iterate, test convergence
// as sklearn does (hals: its 'cd' violation rule every iteration; the others every 10 iterations,
// its 'mu' rule (err_prev − err) / err_init < tol), ARD relevance updates,
// pruning and merging of components, and restarts keeping the best run.
import { throwIfAborted, type Progress } from '../../engine/index.js';
import type { NmfBackend, NmfState } from './backend.js';
import { nndsvd, randomStart, svdFromGram, type TruncatedSvd } from './init.js';
import { randomizedIsCheaper, randomizedSvd } from './randomized-svd.js';
import { prunes, type ResolvedNmf } from './model.js';
import { unitSpectra } from './cpu.js';

export const CHECK_EVERY = 10;

export interface NmfRun {
  W: Float64Array;
  H: Float64Array;
  k: number;
  loss: number[];
  lossIterations: number[];
  iterations: number;
  converged: boolean;
  /** The final loss (the error, with the penalty where the method has one): restarts keep the lowest. */
  error: number;
  /** The final ‖X − WH‖_F (the KL methods: sqrt(2·KL)). */
  fitError: number;
  rowErrors: Float64Array;
  grams: { WtW: Float64Array; HHt: Float64Array };
  /** Wall time of the iterations of this run (seconds). */
  iterateSeconds: number;
}

export interface DriverControl {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/** Mean of X from its column sums. */
function meanOf(colSums: Float64Array, n: number): number {
  let s = 0;
  for (const v of colSums) s += v;
  return s / (n * colSums.length);
}

/** Run every restart and return the one with the lowest final error (plus all final errors). */
export async function factorise(
  backend: NmfBackend,
  s: ResolvedNmf,
  ctl: DriverControl = {},
): Promise<{ best: NmfRun; restartErrors: number[]; initSeconds: number }> {
  let initSeconds = 0;
  const { n, m } = backend;
  const colSums = await backend.columnSums();
  // NNDSVDa fills with mean(X), random starts scale with it. For signed (semi-NMF) data the mean may
  // be near 0; semi-NMF's first step solves H by least squares, so the scale of W does not matter.
  const meanX = meanOf(colSums, n);
  let svd: TruncatedSvd | null = null;
  let best: NmfRun | null = null;
  const restartErrors: number[] = [];
  for (let r = 0; r < s.restarts; r++) {
    throwIfAborted(ctl.signal);
    let start: { W: Float64Array; H: Float64Array };
    const t0 = performance.now();
    if (r === 0 && s.init !== 'random') {
      // The randomized range finder where it is cheaper than XᵀX (long spectra), else the exact Gram route.
      svd ??= randomizedIsCheaper(n, m, s.k)
        ? await randomizedSvd(backend, n, m, s.k, { seed: s.seed })
        : await svdFromGram(await backend.gram(), m, s.k, (V, k) => backend.project(V, k), n);
      start = nndsvd(svd, n, m, s.init === 'nndsvda' ? Math.abs(meanX) : null);
    } else {
      start = randomStart(n, m, s.k, meanX, s.seed + r);
    }
    // ONMF's update drives H Hᵀ towards I, so it starts with unit-norm spectra.
    if (s.method === 'onmf') unitSpectra(start.W, start.H, n, m, s.k);
    initSeconds += (performance.now() - t0) / 1000;
    const run = await runOne(backend, s, start.W, start.H, s.k, ctl, r);
    restartErrors.push(run.error);
    if (!best || run.error < best.error) best = run;
  }
  return { best: best!, restartErrors, initSeconds };
}

/** ARD (Tan & Févotte 2013, L1 relevance): λ_t = (‖w_t‖₁ + ‖h_t‖₁ + b) / (n + m + a + 1) with the
 * noise variance φ = ‖X − WH‖² / (n m); the penalty on both factors of component t is φ / λ_t. */
async function ardPenalties(state: NmfState, err: number, n: number, m: number): Promise<Float64Array> {
  const { w, h } = await state.l1Norms();
  const phi = (err * err) / (n * m);
  const a = 1;
  const scale = Math.max(...Array.from(w, (v, t) => v + h[t]!), 1e-30);
  const b = 1e-6 * scale;
  return Float64Array.from(w, (v, t) => {
    const lambda = (v + h[t]! + b) / (n + m + a + 1);
    return phi / lambda;
  });
}

/** Components to keep after pruning small ones and merging near-identical spectra; null if none change. */
export function pruneAndMerge(
  WtW: Float64Array,
  HHt: Float64Array,
  k: number,
  s: ResolvedNmf,
): { keep: number[]; mergeInto: Map<number, number> } | null {
  const nw = Array.from({ length: k }, (_, t) => Math.sqrt(Math.max(WtW[t * k + t]!, 0)));
  const nh = Array.from({ length: k }, (_, t) => Math.sqrt(Math.max(HHt[t * k + t]!, 0)));
  const energy = nw.map((v, t) => v * nh[t]!);
  const total = energy.reduce((a, b) => a + b, 0);
  const alive = energy.map((e) => total > 0 && e / total >= s.pruneShare);
  const mergeInto = new Map<number, number>();
  for (let a = 0; a < k; a++) {
    // A component already merged into another does not take partners of its own (they stay).
    if (!alive[a] || mergeInto.has(a)) continue;
    for (let b = a + 1; b < k; b++) {
      if (!alive[b] || mergeInto.has(b)) continue;
      const cos = HHt[a * k + b]! / Math.max(nh[a]! * nh[b]!, 1e-300);
      if (cos >= s.mergeCosine) mergeInto.set(b, a);
    }
  }
  const keep = [];
  for (let t = 0; t < k; t++) if (alive[t] && !mergeInto.has(t)) keep.push(t);
  if (keep.length === k || keep.length === 0) return null;
  return { keep, mergeInto };
}

/** Apply a prune/merge plan to W (n×k) and H (k×m): merged maps are added to their partner's,
 * scaled by the ratio of spectrum norms so that w_a h_a + w_b h_b is kept when h_b ∥ h_a. */
function reduceComponents(
  W: Float64Array,
  H: Float64Array,
  n: number,
  m: number,
  k: number,
  HHt: Float64Array,
  plan: { keep: number[]; mergeInto: Map<number, number> },
) {
  const k2 = plan.keep.length;
  const W2 = new Float64Array(n * k2);
  const H2 = new Float64Array(k2 * m);
  plan.keep.forEach((t, j) => {
    for (let i = 0; i < n; i++) W2[i * k2 + j] = W[i * k + t]!;
    for (let c = 0; c < m; c++) H2[j * m + c] = H[t * m + c]!;
  });
  for (const [b, a] of plan.mergeInto) {
    const j = plan.keep.indexOf(a);
    const ratio = Math.sqrt(HHt[b * k + b]! / Math.max(HHt[a * k + a]!, 1e-300));
    for (let i = 0; i < n; i++) W2[i * k2 + j] += W[i * k + b]! * ratio;
  }
  return { W: W2, H: H2, k: k2 };
}

async function runOne(
  backend: NmfBackend,
  s: ResolvedNmf,
  W0: Float64Array,
  H0: Float64Array,
  k0: number,
  ctl: DriverControl,
  restart: number,
): Promise<NmfRun> {
  const { n, m } = backend;
  let state = backend.start(s, W0, H0, k0);
  const t0 = performance.now();
  // The loss: the error, or sqrt(error² + penalty) where the method has a penalty (minvol).
  const objective = async () => {
    const e = await state.error();
    return state.penalty ? Math.sqrt(e * e + (await state.penalty())) : e;
  };
  try {
    const e0 = await objective();
    const loss = [e0];
    const lossIterations = [0];
    let prev = e0;
    let it = 0;
    let converged = false;
    // After a prune/merge the error jumps; the next check only records the new baseline.
    let rebaseline = false;
    const stage = s.restarts > 1 ? `nmf ${s.method} (start ${restart + 1}/${s.restarts})` : `nmf ${s.method}`;
    // hals stops as scikit-learn's 'cd': after the first iteration whose projected-gradient
    // violation is at most tol × the first iteration's, so it runs one iteration at a time (the
    // loss is still recorded every CHECK_EVERY iterations). The others test the error every CHECK_EVERY.
    const byViolation = s.method === 'hals' && state.violation !== undefined;
    let violation0 = 0;
    while (it < s.maxIterations) {
      throwIfAborted(ctl.signal);
      const step = byViolation ? 1 : Math.min(CHECK_EVERY, s.maxIterations - it);
      await state.iterate(step);
      it += step;
      if (byViolation) {
        const v = await state.violation!();
        if (it === 1) violation0 = v;
        const done = s.tol > 0 && (violation0 === 0 || v / violation0 <= s.tol);
        if (done) converged = true;
        if (it % CHECK_EVERY === 0 || done || it === s.maxIterations) {
          loss.push(await objective());
          lossIterations.push(it);
          ctl.onProgress?.({ done: it, total: s.maxIterations, stage });
        }
        if (done) break;
        continue;
      }
      const err = await objective();
      loss.push(err);
      lossIterations.push(it);
      ctl.onProgress?.({ done: it, total: s.maxIterations, stage });
      let changed = false;
      if (s.method === 'ard') {
        const pen = await ardPenalties(state, err, n, m);
        state.setPenalties(pen, pen);
      }
      if (prunes(s.method) && state.k > 1) {
        const g = await state.grams();
        const plan = pruneAndMerge(g.WtW, g.HHt, state.k, s);
        if (plan) {
          const { W, H } = await state.read();
          const next = reduceComponents(W, H, n, m, state.k, g.HHt, plan);
          state.dispose();
          state = backend.start(s, next.W, next.H, next.k);
          changed = true;
        }
      }
      if (changed) {
        rebaseline = true;
      } else if (rebaseline) {
        rebaseline = false;
      } else if (s.tol > 0 && (prev - err) / e0 < s.tol) {
        converged = true;
        break;
      }
      prev = err;
    }
    const { W, H } = await state.read();
    const rowErrors = await state.rowErrors();
    const grams = await state.grams();
    const iterateSeconds = (performance.now() - t0) / 1000;
    const fitError = await state.error();
    const error = await objective();
    return {
      W,
      H,
      k: state.k,
      loss,
      lossIterations,
      iterations: it,
      converged,
      error,
      fitError,
      rowErrors,
      grams,
      iterateSeconds,
    };
  } finally {
    state.dispose();
  }
}
