// Runs the replica-exchange batches (K = 1..kmax, spectra in chunks that fit the device) on a
// backend with progress and abort, then turns their accumulators into the per-spectrum result.
import { throwIfAborted, type RunControl } from '../../engine/index.js';
import type { RemcBackend } from './backend.js';
import { initialState, makeBatch, type RemcBatch, type RemcState } from './batch.js';
import type { BayesSettings } from './model.js';
import {
  diagnosticsOf,
  evidenceOf,
  EXCHANGE_MIN,
  paramSummary,
  RHAT_MAX,
  type Diagnostics,
  type ParamSummary,
} from './summary.js';

/** Sweeps queued per submit (and between progress reports). */
export const SWEEPS_PER_SUBMIT = 50;

/** FWHM of exp(−b (x − μ)² / 2): 2 sqrt(2 ln 2) / sqrt(b). */
export const fwhmOf = (b: number): number => (2 * Math.sqrt(2 * Math.LN2)) / Math.sqrt(b);

export const PEAK_PARAMS = ['height', 'position', 'b', 'fwhm'] as const;
export type PeakParam = (typeof PEAK_PARAMS)[number];

export interface SpectrumResult {
  /** F(K), K = 1..kmax (index K − 1). */
  free: Float64Array;
  /** p(K | D), K = 1..kmax. */
  pK: Float64Array;
  /** The noise level that minimises F(K), per K. */
  noiseByK: Float64Array;
  kSelected: number;
  noise: number;
  /** For the selected K: peak k (ordered by position) → parameter → summary; background last. */
  peaks: Record<PeakParam, ParamSummary>[];
  /** The same for every K (index K − 1), each at its own estimated noise. */
  peaksByK: Record<PeakParam, ParamSummary>[][];
  background: ParamSummary | null;
  /** Per K (index K − 1): the sampler's diagnostics. */
  diagnostics: Diagnostics[];
  /** The free energy was lowest at β = 1 (s = s0): the noise may lie below the ladder. */
  noiseAtFloor: boolean;
  /** Largest R-hat over the selected model's parameters at the estimated noise. */
  rhatMax: number;
}

export interface RunOutcome {
  spectra: SpectrumResult[];
  warnings: string[];
  initMs: number;
  runMs: number;
}

/** Run every K on `spectra` (count × n) in chunks of at most `chunk` spectra. */
export async function runRemc(
  backend: RemcBackend,
  s: BayesSettings,
  x: ArrayLike<number>,
  spectra: ArrayLike<number>,
  count: number,
  chunk: number,
  ctl: RunControl = {},
): Promise<RunOutcome> {
  const n = x.length;
  const total = count * s.kmax * (s.burnIn + s.sweeps);
  let done = 0;
  let initMs = 0;
  const t0 = performance.now();
  const out: SpectrumResult[] = [];
  for (let first = 0; first < count; first += chunk) {
    const m = Math.min(chunk, count - first);
    const y = Array.prototype.slice.call(spectra, first * n, (first + m) * n) as number[];
    const finals: { batch: RemcBatch; st: RemcState }[] = [];
    for (let K = 1; K <= s.kmax; K++) {
      throwIfAborted(ctl.signal);
      const ti = performance.now();
      const batch = makeBatch(s, K, x, y, m, first);
      const run = backend.start(batch, initialState(batch));
      initMs += performance.now() - ti;
      try {
        const end = s.burnIn + s.sweeps;
        for (let sw = 0; sw < end; sw += SWEEPS_PER_SUBMIT) {
          throwIfAborted(ctl.signal);
          const c = Math.min(SWEEPS_PER_SUBMIT, end - sw);
          run.run(sw, c);
          // Wait for each submit so progress and abort stay responsive.
          await run.sync();
          done += c * m;
          ctl.onProgress?.({ done, total, stage: `K = ${K}` });
        }
        finals.push({ batch, st: await run.read() });
      } finally {
        run.dispose();
      }
    }
    for (let i = 0; i < m; i++) out.push(summarise(s, finals, i));
  }
  return { spectra: out, warnings: warningsOf(out, s), initMs, runMs: performance.now() - t0 - initMs };
}

function summarise(s: BayesSettings, finals: { batch: RemcBatch; st: RemcState }[], i: number): SpectrumResult {
  const kmax = s.kmax;
  const free = new Float64Array(kmax);
  const noiseByK = new Float64Array(kmax);
  const tBest: number[] = [];
  const diagnostics: Diagnostics[] = [];
  for (const { batch, st } of finals) {
    const e = evidenceOf(batch, st, i);
    free[batch.K - 1] = e.free;
    noiseByK[batch.K - 1] = e.noise;
    tBest.push(e.tBest);
    diagnostics.push(diagnosticsOf(batch, st, i));
  }
  // p(K | D) ∝ q^K exp(−F(K)), normalised over K = 1..kmax.
  const logPost = Array.from(free, (f, k) => (k + 1) * Math.log(s.kPrior) - f);
  const top = Math.max(...logPost);
  const w = logPost.map((l) => Math.exp(l - top));
  const sum = w.reduce((a, v) => a + v, 0);
  const pK = Float64Array.from(w, (v) => v / sum);
  let kSel = 1;
  for (let k = 2; k <= kmax; k++) if (pK[k - 1]! > pK[kSel - 1]!) kSel = k;
  const peaksByK = finals.map(({ batch, st }, k) => peakSummaries(batch, st, i, tBest[k]!));
  const peaks = peaksByK[kSel - 1]!;
  let rhatMax = 0;
  for (const p of peaks) for (const v of [p.height, p.position, p.b]) if (v.rhat > rhatMax) rhatMax = v.rhat;
  const { batch, st } = finals[kSel - 1]!;
  const t = tBest[kSel - 1]!;
  const background = s.background ? paramSummary(batch, st, i, t, 3 * kSel) : null;
  return {
    free,
    pK,
    noiseByK,
    kSelected: kSel,
    noise: noiseByK[kSel - 1]!,
    peaks,
    peaksByK,
    background,
    diagnostics,
    noiseAtFloor: t === s.replicas - 1,
    rhatMax: s.chains > 1 ? rhatMax : NaN,
  };
}

/** Posterior summaries of a K-peak model's peaks at temperature t. */
function peakSummaries(batch: RemcBatch, st: RemcState, i: number, t: number): Record<PeakParam, ParamSummary>[] {
  return Array.from({ length: batch.K }, (_, k) => ({
    height: paramSummary(batch, st, i, t, 3 * k),
    position: paramSummary(batch, st, i, t, 3 * k + 1),
    b: paramSummary(batch, st, i, t, 3 * k + 2),
    fwhm: paramSummary(batch, st, i, t, 3 * k + 2, fwhmOf),
  }));
}

/** One line per diagnostic out of range, counting the spectra concerned. */
function warningsOf(out: SpectrumResult[], s: BayesSettings): string[] {
  const warnings: string[] = [];
  const lowSwap = out.filter((r) => r.diagnostics.some((d) => d.exchange.some((e) => e < EXCHANGE_MIN))).length;
  if (lowSwap)
    warnings.push(
      `${lowSwap} of ${out.length} spectra: an adjacent-temperature exchange rate below ${EXCHANGE_MIN} (add replicas or lower --ladder-ratio)`,
    );
  if (s.chains > 1) {
    const bad = out.filter((r) => r.rhatMax > RHAT_MAX).length;
    if (bad) warnings.push(`${bad} of ${out.length} spectra: R-hat above ${RHAT_MAX} across chains (run more sweeps)`);
  }
  const edge = out.filter((r) => r.noiseAtFloor).length;
  if (edge)
    warnings.push(
      `${edge} of ${out.length} spectra: the noise estimate sits at the ladder's floor s0 (the noise may be lower: give a smaller --noise-floor)`,
    );
  return warnings;
}
