// Minimum-volume NMF on the CPU in float64: the reference the WebGPU path (minvol-gpu.ts) is
// checked against. One iteration: HHᵀ → (δ, λ at the first) → W by HALS with HHᵀ (+ closure) →
// H by HALS with WᵀW + λ(HHᵀ + δI)⁻¹ → unit-norm spectra unless closure. The spectra are kept
// transposed (Ht, m × k) so that both factors are "rows × k" and one sweep serves both, as on the GPU.
import type { NmfState } from './backend.js';
import { unitSpectra, type CpuNmfBackend } from './cpu.js';
import type { ResolvedNmf } from './model.js';
import { minvolStep, minvolWeights, volumePenalty, type MinvolWeights } from './minvol.js';

/** One HALS sweep over the k columns of F (rows × k): F_rt ← max(0, F_rt − (F_r·G_t − P_rt + l1_t)/G_tt). */
export function halsSweep(
  F: Float64Array,
  rows: number,
  k: number,
  P: Float64Array,
  G: Float64Array,
  l1: ArrayLike<number>,
) {
  for (let r = 0; r < rows; r++)
    for (let t = 0; t < k; t++) {
      const hess = G[t * k + t]!;
      if (!(hess > 0)) continue;
      let grad = l1[t]! - P[r * k + t]!;
      for (let j = 0; j < k; j++) grad += F[r * k + j]! * G[j * k + t]!;
      F[r * k + t] = Math.max(0, F[r * k + t]! - grad / hess);
    }
}

/** AᵀB for A rows × a, B rows × b (row-major): a × b. */
function gramOf(A: Float64Array, a: number, B: Float64Array, b: number, rows: number): Float64Array {
  const G = new Float64Array(a * b);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < a; i++) {
      const v = A[r * a + i]!;
      if (v === 0) continue;
      for (let j = 0; j < b; j++) G[i * b + j] += v * B[r * b + j]!;
    }
  return G;
}

export class CpuMinvolState implements NmfState {
  private readonly n: number;
  private readonly m: number;
  private readonly W: Float64Array;
  /** The spectra transposed, m × k. */
  private readonly Ht: Float64Array;
  private weights: MinvolWeights | null = null;

  constructor(
    private readonly data: CpuNmfBackend,
    private readonly s: ResolvedNmf,
    W0: Float64Array,
    H0: Float64Array,
    readonly k: number,
  ) {
    const { n, m } = data;
    this.n = n;
    this.m = m;
    const W = Float64Array.from(W0);
    const H = Float64Array.from(H0);
    if (!s.closure) unitSpectra(W, H, n, m, k);
    this.W = W;
    this.Ht = new Float64Array(m * k);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) this.Ht[c * k + t] = H[t * m + c]!;
  }

  /** δ and λ, fixed from the state's start. */
  private weightsNow(): MinvolWeights {
    this.weights ??= minvolWeights(this.HHt(), this.k, this.squaredError(), this.s);
    return this.weights;
  }

  private HHt(): Float64Array {
    return gramOf(this.Ht, this.k, this.Ht, this.k, this.m);
  }

  iterate(iters: number): void {
    const { n, m, k, W, Ht, s } = this;
    const X = this.data.X;
    const w = this.weightsNow();
    for (let it = 0; it < iters; it++) {
      const step = minvolStep(this.HHt(), k, w, s.closure);
      // W: HALS with X Hᵀ and HHᵀ (+ the closure penalty).
      const XHt = new Float64Array(n * k);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < m; c++) {
          const x = X[i * m + c]!;
          if (x === 0) continue;
          for (let t = 0; t < k; t++) XHt[i * k + t] += x * Ht[c * k + t]!;
        }
      halsSweep(W, n, k, XHt, step.GW, new Array<number>(k).fill(s.l1W - step.closureShift));
      // H: HALS with Xᵀ W and WᵀW + λY.
      const XtW = gramOf(X, m, W, k, n);
      const G = gramOf(W, k, W, k, n).map((v, e) => v + step.lambdaY[e]!);
      halsSweep(Ht, m, k, XtW, G, new Array<number>(k).fill(s.l1H));
      if (!s.closure) this.unitNorm();
    }
  }

  private unitNorm(): void {
    const { n, m, k, W, Ht } = this;
    for (let t = 0; t < k; t++) {
      let q = 0;
      for (let c = 0; c < m; c++) q += Ht[c * k + t]! ** 2;
      const d = Math.sqrt(q);
      if (!(d > 0)) continue;
      for (let c = 0; c < m; c++) Ht[c * k + t] /= d;
      for (let i = 0; i < n; i++) W[i * k + t] *= d;
    }
  }

  async rowErrors(): Promise<Float64Array> {
    const { n, m, k, W, Ht } = this;
    const X = this.data.X;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let c = 0; c < m; c++) {
        let wh = 0;
        for (let t = 0; t < k; t++) wh += W[i * k + t]! * Ht[c * k + t]!;
        q += (X[i * m + c]! - wh) ** 2;
      }
      out[i] = q;
    }
    return out;
  }

  private squaredError(): number {
    let q = 0;
    const { n, m, k, W, Ht } = this;
    const X = this.data.X;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < m; c++) {
        let wh = 0;
        for (let t = 0; t < k; t++) wh += W[i * k + t]! * Ht[c * k + t]!;
        q += (X[i * m + c]! - wh) ** 2;
      }
    return q;
  }

  async error(): Promise<number> {
    return Math.sqrt(this.squaredError());
  }

  async penalty(): Promise<number> {
    return volumePenalty(this.HHt(), this.k, this.weightsNow());
  }

  async grams(): Promise<{ WtW: Float64Array; HHt: Float64Array }> {
    return { WtW: gramOf(this.W, this.k, this.W, this.k, this.n), HHt: this.HHt() };
  }

  async l1Norms(): Promise<{ w: Float64Array; h: Float64Array }> {
    const { n, m, k, W, Ht } = this;
    const w = new Float64Array(k);
    const h = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) w[t] += Math.abs(W[i * k + t]!);
    for (let c = 0; c < m; c++) for (let t = 0; t < k; t++) h[t] += Math.abs(Ht[c * k + t]!);
    return { w, h };
  }

  setPenalties(): void {
    // Minimum-volume NMF takes no per-component penalties (no ARD).
  }

  async read(): Promise<{ W: Float64Array; H: Float64Array }> {
    const { m, k, Ht } = this;
    const H = new Float64Array(k * m);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) H[t * m + c] = Ht[c * k + t]!;
    return { W: Float64Array.from(this.W), H };
  }

  dispose(): void {}
}
