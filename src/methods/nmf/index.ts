// Public NMF functions: picks the backend (WebGPU or the float64 CPU reference), prepares the
// matrix, runs the shared driver, and returns factors (spectra) and loadings (maps) named as the field does.
import { resolveEngine, type Engine, type EngineSource, type RunControl } from '../../engine/index.js';
import type { SpectrumImage } from '../../data/types.js';
import { optionValue } from '../option-table.js';
import type { NmfBackend } from './backend.js';
import { CpuNmfBackend } from './cpu.js';
import { factorise } from './driver.js';
import { GpuNmfBackend, type GpuNmfOptions } from './gpu.js';
import {
  NMF_DEFAULT_METHOD,
  NMF_OPTIONS,
  needsNonNegative,
  resolveNmf,
  usesKl,
  type NmfOptions,
  type NmfReference,
  type NmfResult,
} from './model.js';
import { prepareMatrix, type PreparedMatrix } from './preprocess.js';
import { checkScreeInput, screeOf, type ScreeResult } from './scree.js';

export * from './model.js';
export type { ScreeResult } from './scree.js';

function backendFor(engine: Engine, P: PreparedMatrix, gpuOptions?: GpuNmfOptions): NmfBackend {
  return engine.gpu ? new GpuNmfBackend(engine.gpu, P.X, P.n, P.m, gpuOptions) : new CpuNmfBackend(P.X, P.n, P.m);
}

/** Largest off-diagonal cosine similarity of a k×k Gram matrix. */
function maxCosine(G: Float64Array, k: number): number {
  let worst = 0;
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      const d = Math.sqrt(G[a * k + a]! * G[b * k + b]!);
      if (d > 0) worst = Math.max(worst, Math.abs(G[a * k + b]!) / d);
    }
  return worst;
}

/**
 * Factorise a spectrum image X (pixels × channels) ≈ W H into k component spectra (factors,
 * k × channels) and their abundance maps (loadings, ny × nx × k: per pixel, as W is computed and as
 * segmentMrf reads features; `componentMaps` gives them k × ny × nx).
 */
export async function nmf(
  engineSource: EngineSource,
  img: SpectrumImage,
  options: NmfOptions,
  ctl: RunControl = {},
): Promise<NmfResult> {
  let t0 = performance.now();
  const what = String(img.meta.source ?? 'input');
  const method = options.method ?? NMF_DEFAULT_METHOD;
  const P = prepareMatrix(img, {
    what,
    pixelMask: options.pixelMask,
    channelMask: options.channelMask,
    reference: options.reference,
    poisson: options.poisson,
    nonNegativeMethod: needsNonNegative(method) ? method : null,
    negative: optionValue(NMF_OPTIONS, 'negative', options.negative),
  });
  const s = resolveNmf(options, P.n, P.m);
  // Opened only now: bad options or data were refused above, before any adapter starts; the
  // opening is not counted in the timing.
  const t1 = performance.now();
  const engine = await resolveEngine(engineSource);
  t0 += performance.now() - t1;
  const backend = backendFor(engine, P, options.gpu);
  try {
    const { best, restartErrors, initSeconds } = await factorise(backend, s, ctl);
    const { k, W, H } = best;
    const { ny, nx, channels } = img;
    const npix = ny * nx;
    const loadings = new Float32Array(k * npix).fill(NaN);
    const factors = new Float32Array(k * channels).fill(NaN);
    const residual = new Float32Array(npix).fill(NaN);
    for (let r = 0; r < P.n; r++) {
      const p = P.pixels[r]!;
      const scale = P.rowScale ? (P.rowScale[r]! > 0 ? 1 / P.rowScale[r]! : 0) : 1;
      for (let t = 0; t < k; t++) loadings[p * k + t] = W[r * k + t]! * scale;
      const e = best.rowErrors[r]!;
      residual[p] = usesKl(method) ? e : Math.sqrt(Math.max(e, 0));
    }
    for (let j = 0; j < P.m; j++) {
      const c = P.channels[j]!;
      const scale = P.colScale ? (P.colScale[j]! > 0 ? 1 / P.colScale[j]! : 0) : 1;
      for (let t = 0; t < k; t++) factors[t * channels + c] = H[t * P.m + j]! * scale;
    }
    const relativeError = usesKl(method)
      ? Math.sqrt(frobeniusOf(P, W, H, k)) / Math.sqrt(P.squaredNorm)
      : best.fitError / Math.sqrt(P.squaredNorm);
    return {
      factors: { data: factors, shape: [k, channels], description: 'component spectra (NMF factors)' },
      loadings: { data: loadings, shape: [ny, nx, k], description: 'abundance maps (NMF loadings), per pixel' },
      residual: {
        data: residual,
        shape: [ny, nx],
        description: usesKl(method) ? 'per-pixel KL divergence of the fit' : 'per-pixel residual norm ‖x − WH‖',
      },
      loss: Float64Array.from(best.loss),
      lossIterations: Int32Array.from(best.lossIterations),
      iterations: best.iterations,
      converged: best.converged,
      k,
      relativeError,
      orthogonality: { loadings: maxCosine(best.grams.WtW, k), factors: maxCosine(best.grams.HHt, k) },
      reference: P.reference ?? undefined,
      negative: P.negative ?? undefined,
      method,
      backend: engine.gpu ? 'webgpu' : 'cpu',
      restartErrors,
      timing: {
        initMs: initSeconds * 1000,
        runMs: best.iterateSeconds * 1000,
        totalMs: performance.now() - t0,
      },
      warnings: [],
    };
  } finally {
    backend.dispose();
  }
}

/** ‖X − WH‖_F² on the host (for the KL method's relative Frobenius error). */
function frobeniusOf(P: PreparedMatrix, W: Float64Array, H: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < P.n; i++)
    for (let c = 0; c < P.m; c++) {
      let wh = 0;
      for (let t = 0; t < k; t++) wh += W[i * k + t]! * H[t * P.m + c]!;
      s += (P.X[i * P.m + c]! - wh) ** 2;
    }
  return s;
}

export interface ScreeOptions {
  /** Components to report (default 20). */
  components?: number;
  pixelMask?: ArrayLike<number>;
  channelMask?: ArrayLike<number>;
  reference?: NmfReference;
  poisson?: boolean;
}

/**
 * PCA scree of a spectrum image: explained variance per component and an elbow estimate for k.
 * The engine opens (when given as a function) only after the data and options pass their checks.
 */
export async function scree(
  engineSource: EngineSource,
  img: SpectrumImage,
  options: ScreeOptions = {},
): Promise<ScreeResult> {
  const what = String(img.meta.source ?? 'input');
  const P = prepareMatrix(img, { what, ...options, nonNegativeMethod: null });
  checkScreeInput(P.n, what, options.pixelMask !== undefined);
  const engine = await resolveEngine(engineSource);
  const backend = backendFor(engine, P);
  try {
    return await screeOf(backend, options.components ?? 20);
  } finally {
    backend.dispose();
  }
}
