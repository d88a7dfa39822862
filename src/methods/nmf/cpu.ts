// The CPU reference of every NMF variant: plain TypeScript in float64, written to read like the
// update equations (X n×m ≈ W n×k · H k×m). It is the specification the WebGPU path is checked
// against, and the fallback where no GPU exists. The order of operations matches gpu.ts.
import type { NmfBackend, NmfState } from './backend.js';
import type { ResolvedNmf } from './model.js';
import { usesKl } from './model.js';
import { CpuMinvolState } from './minvol-cpu.js';

/** float32 machine epsilon: sklearn's EPSILON, the clamp of every MU denominator. */
export const NMF_EPS = 1.1920928955078125e-7;
/** Ridge added to WᵀW before semi-NMF's least-squares step, relative to its mean diagonal. */
export const SEMI_RIDGE = 1e-6;

export class CpuNmfBackend implements NmfBackend {
  readonly X: Float64Array;
  constructor(
    X: ArrayLike<number>,
    readonly n: number,
    readonly m: number,
  ) {
    this.X = Float64Array.from(X);
  }
  async gram(): Promise<Float64Array> {
    const { X, n, m } = this;
    const G = new Float64Array(m * m);
    for (let i = 0; i < n; i++) {
      const o = i * m;
      for (let a = 0; a < m; a++) {
        const xa = X[o + a]!;
        if (xa === 0) continue;
        for (let b = 0; b < m; b++) G[a * m + b] += xa * X[o + b]!;
      }
    }
    return G;
  }
  async columnSums(): Promise<Float64Array> {
    const s = new Float64Array(this.m);
    for (let i = 0; i < this.n; i++) for (let c = 0; c < this.m; c++) s[c] += this.X[i * this.m + c]!;
    return s;
  }
  async project(V: Float64Array, k: number): Promise<Float64Array> {
    const { X, n, m } = this;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < m; c++) {
        const x = X[i * m + c]!;
        for (let j = 0; j < k; j++) out[i * k + j] += x * V[c * k + j]!;
      }
    return out;
  }
  async projectT(U: Float64Array, l: number): Promise<Float64Array> {
    const { X, n, m } = this;
    const out = new Float64Array(m * l);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < m; c++) {
        const x = X[i * m + c]!;
        if (x === 0) continue;
        for (let j = 0; j < l; j++) out[c * l + j] += x * U[i * l + j]!;
      }
    }
    return out;
  }
  start(s: ResolvedNmf, W: Float64Array, H: Float64Array, k: number): NmfState {
    if (s.method === 'minvol') return new CpuMinvolState(this, s, W, H, k);
    return new CpuNmfState(this, s, Float64Array.from(W), Float64Array.from(H), k);
  }
  dispose(): void {}
}

class CpuNmfState implements NmfState {
  private readonly n: number;
  private readonly m: number;
  private penW: Float64Array;
  private penH: Float64Array;
  /** Σ |projected gradient| of the last HALS iteration (scikit-learn's 'cd' violation). */
  private viol = 0;

  constructor(
    private readonly data: CpuNmfBackend,
    private readonly s: ResolvedNmf,
    private W: Float64Array,
    private H: Float64Array,
    readonly k: number,
  ) {
    this.n = data.n;
    this.m = data.m;
    this.penW = new Float64Array(k).fill(s.l1W);
    this.penH = new Float64Array(k).fill(s.l1H);
  }

  iterate(iters: number): void {
    for (let it = 0; it < iters; it++) {
      switch (this.s.method) {
        case 'mu':
          this.muW();
          this.muH(false);
          break;
        case 'kl':
          this.klW();
          this.klH();
          break;
        case 'hals':
          this.viol = 0;
          this.halsW();
          this.halsH();
          break;
        case 'so':
        case 'ard':
          this.halsW();
          this.halsH();
          this.unitSpectra();
          break;
        case 'onmf':
          this.muW();
          this.muH(true);
          break;
        case 'semi':
          this.leastSquaresH();
          this.halsW();
          break;
      }
    }
  }

  // ---- products
  private XHt(): Float64Array {
    const { n, m, k, H } = this;
    const X = this.data.X;
    const P = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        let s = 0;
        for (let c = 0; c < m; c++) s += X[i * m + c]! * H[t * m + c]!;
        P[i * k + t] = s;
      }
    return P;
  }
  private WtA(A: Float64Array): Float64Array {
    const { n, m, k, W } = this;
    const P = new Float64Array(k * m);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        const w = W[i * k + t]!;
        for (let c = 0; c < m; c++) P[t * m + c] += w * A[i * m + c]!;
      }
    return P;
  }
  private HHt(): Float64Array {
    const { m, k, H } = this;
    const G = new Float64Array(k * k);
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let c = 0; c < m; c++) s += H[a * m + c]! * H[b * m + c]!;
        G[a * k + b] = s;
      }
    return G;
  }
  private WtW(): Float64Array {
    const { n, k, W } = this;
    const G = new Float64Array(k * k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) G[a * k + b] += W[i * k + a]! * W[i * k + b]!;
    return G;
  }
  private WH(): Float64Array {
    const { n, m, k, W, H } = this;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        const w = W[i * k + t]!;
        for (let c = 0; c < m; c++) out[i * m + c] += w * H[t * m + c]!;
      }
    return out;
  }

  // ---- updates
  /** W ← W ⊙ XHᵀ / (W HHᵀ + l1W). */
  private muW(): void {
    const { n, k, W } = this;
    const P = this.XHt();
    const G = this.HHt();
    const next = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        let den = this.penW[t]!;
        for (let j = 0; j < k; j++) den += W[i * k + j]! * G[j * k + t]!;
        next[i * k + t] = (W[i * k + t]! * Math.max(P[i * k + t]!, 0)) / Math.max(den, NMF_EPS);
      }
    this.W = next;
  }
  /** H ← H ⊙ WᵀX / (WᵀW H + l1H), or for ONMF (orthogonal spectra, H Hᵀ → I; Ding et al. 2006, whose square root
   * keeps the scale from oscillating) H ← H ⊙ sqrt(WᵀX / (WᵀX Hᵀ H + l1H)). */
  private muH(orthogonal: boolean): void {
    const { m, k, H } = this;
    const P = this.WtA(this.data.X);
    let M: Float64Array;
    if (orthogonal) {
      // M = Wᵀ X Hᵀ = P Hᵀ (k×k); the denominator is M H (Ding et al. 2006; Choi 2008).
      M = new Float64Array(k * k);
      for (let t = 0; t < k; t++)
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let c = 0; c < m; c++) s += P[t * m + c]! * H[j * m + c]!;
          M[t * k + j] = s;
        }
    } else {
      M = this.WtW();
    }
    const next = new Float64Array(k * m);
    for (let t = 0; t < k; t++)
      for (let c = 0; c < m; c++) {
        let den = this.penH[t]!;
        for (let j = 0; j < k; j++) den += M[t * k + j]! * H[j * m + c]!;
        const ratio = Math.max(P[t * m + c]!, 0) / Math.max(den, NMF_EPS);
        next[t * m + c] = H[t * m + c]! * (orthogonal ? Math.sqrt(ratio) : ratio);
      }
    this.H = next;
  }
  /** R = X / max(WH, eps), the data term of the KL updates. */
  private ratio(): Float64Array {
    const R = this.WH();
    const X = this.data.X;
    for (let e = 0; e < R.length; e++) R[e] = X[e]! / Math.max(R[e]!, NMF_EPS);
    return R;
  }
  /** KL: W ← W ⊙ (R Hᵀ) / (Σ_c H_tc + l1W). */
  private klW(): void {
    const { n, m, k, W, H } = this;
    const R = this.ratio();
    const rowH = new Float64Array(k);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) rowH[t] += H[t * m + c]!;
    const next = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        let p = 0;
        for (let c = 0; c < m; c++) p += R[i * m + c]! * H[t * m + c]!;
        next[i * k + t] = (W[i * k + t]! * Math.max(p, 0)) / Math.max(rowH[t]! + this.penW[t]!, NMF_EPS);
      }
    this.W = next;
  }
  /** KL: H ← H ⊙ (Wᵀ R) / (Σ_i W_it + l1H). */
  private klH(): void {
    const { n, m, k, W, H } = this;
    const P = this.WtA(this.ratio());
    const colW = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) colW[t] += W[i * k + t]!;
    const next = new Float64Array(k * m);
    for (let t = 0; t < k; t++)
      for (let c = 0; c < m; c++) {
        next[t * m + c] = (H[t * m + c]! * Math.max(P[t * m + c]!, 0)) / Math.max(colW[t]! + this.penH[t]!, NMF_EPS);
      }
    this.H = next;
  }
  /** HALS for W, column by column: W_it ← max(0, W_it − ((W HHᵀ)_it − (XHᵀ)_it + l1_t + wo Σ_{j≠t} W_ij) / (HHᵀ)_tt). */
  private halsW(): void {
    const { n, k, W } = this;
    const P = this.XHt();
    const G = this.HHt();
    const wo = this.s.wo;
    for (let t = 0; t < k; t++) {
      const hess = G[t * k + t]!;
      if (!(hess > 0)) continue;
      for (let i = 0; i < n; i++) {
        let grad = this.penW[t]! - P[i * k + t]!;
        let rowsum = 0;
        for (let j = 0; j < k; j++) {
          grad += W[i * k + j]! * G[j * k + t]!;
          rowsum += W[i * k + j]!;
        }
        grad += wo * (rowsum - W[i * k + t]!);
        this.viol += projectedGradient(grad, W[i * k + t]!);
        W[i * k + t] = Math.max(0, W[i * k + t]! - grad / hess);
      }
    }
  }
  /** HALS for H, row by row: H_tc ← max(0, H_tc − ((WᵀW H)_tc − (WᵀX)_tc + l1_t) / (WᵀW)_tt). */
  private halsH(): void {
    const { m, k, H } = this;
    const P = this.WtA(this.data.X);
    const G = this.WtW();
    for (let t = 0; t < k; t++) {
      const hess = G[t * k + t]!;
      if (!(hess > 0)) continue;
      for (let c = 0; c < m; c++) {
        let grad = this.penH[t]! - P[t * m + c]!;
        for (let j = 0; j < k; j++) grad += G[t * k + j]! * H[j * m + c]!;
        this.viol += projectedGradient(grad, H[t * m + c]!);
        H[t * m + c] = Math.max(0, H[t * m + c]! - grad / hess);
      }
    }
  }
  /** NMF-SO: spectra to unit norm, the maps absorb the scale (W H unchanged). */
  private unitSpectra(): void {
    unitSpectra(this.W, this.H, this.n, this.m, this.k);
  }
  /** Semi-NMF: the unconstrained least-squares spectra H = (WᵀW + ridge)⁻¹ WᵀX. */
  private leastSquaresH(): void {
    const { m, k } = this;
    const P = this.WtA(this.data.X);
    const Ginv = invertGram(this.WtW(), k, SEMI_RIDGE);
    const next = new Float64Array(k * m);
    for (let t = 0; t < k; t++)
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += Ginv[t * k + j]! * P[j * m + c]!;
        next[t * m + c] = s;
      }
    this.H = next;
  }

  // ---- state queries
  async violation(): Promise<number> {
    return this.viol;
  }
  async rowErrors(): Promise<Float64Array> {
    const { n, m } = this;
    const WH = this.WH();
    const X = this.data.X;
    const kl = usesKl(this.s.method);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < m; c++) {
        const x = X[i * m + c]!;
        const wh = WH[i * m + c]!;
        s += kl ? klTerm(x, wh) : (x - wh) ** 2;
      }
      out[i] = s;
    }
    return out;
  }
  async error(): Promise<number> {
    const rows = await this.rowErrors();
    let s = 0;
    for (const v of rows) s += v;
    return usesKl(this.s.method) ? Math.sqrt(2 * Math.max(s, 0)) : Math.sqrt(s);
  }
  async grams(): Promise<{ WtW: Float64Array; HHt: Float64Array }> {
    return { WtW: this.WtW(), HHt: this.HHt() };
  }
  async l1Norms(): Promise<{ w: Float64Array; h: Float64Array }> {
    const { n, m, k, W, H } = this;
    const w = new Float64Array(k);
    const h = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) w[t] += Math.abs(W[i * k + t]!);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) h[t] += Math.abs(H[t * m + c]!);
    return { w, h };
  }
  setPenalties(l1W: Float64Array, l1H: Float64Array): void {
    this.penW = Float64Array.from(l1W, (v) => v + this.s.l1W);
    this.penH = Float64Array.from(l1H, (v) => v + this.s.l1H);
  }
  async read(): Promise<{ W: Float64Array; H: Float64Array }> {
    return { W: Float64Array.from(this.W), H: Float64Array.from(this.H) };
  }
  dispose(): void {}
}

/** |projected gradient| of a coordinate at value v: only a descent direction counts at the bound 0 (sklearn's 'cd'). */
function projectedGradient(grad: number, v: number): number {
  return Math.abs(v === 0 ? Math.min(grad, 0) : grad);
}

/** Scale each spectrum (row of H, k×m) to unit norm and its map (column of W, n×k) by the same
 * factor, leaving W H unchanged (NMF-SO every iteration; ONMF's start). */
export function unitSpectra(W: Float64Array, H: Float64Array, n: number, m: number, k: number): void {
  for (let t = 0; t < k; t++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += H[t * m + c]! ** 2;
    const d = Math.sqrt(s);
    if (!(d > 0)) continue;
    for (let c = 0; c < m; c++) H[t * m + c] /= d;
    for (let i = 0; i < n; i++) W[i * k + t] *= d;
  }
}

/** One term of the generalised KL divergence as sklearn sums it: x log(x/wh) − x for x > eps, plus wh. */
export function klTerm(x: number, wh: number): number {
  const t = x > NMF_EPS ? x * Math.log(x / Math.max(wh, NMF_EPS)) - x : 0;
  return t + wh;
}

/** (G + ridge·mean(diag G)·I)⁻¹ by Gauss–Jordan with partial pivoting (the algorithm of
 * kernels/nmf/inverse.wgsl); a vanishing pivot gives a zero row. */
export function invertGram(G: Float64Array, k: number, ridge: number): Float64Array {
  let tr = 0;
  for (let i = 0; i < k; i++) tr += G[i * k + i]!;
  const r = (ridge * tr) / k;
  const a = Float64Array.from(G);
  for (let i = 0; i < k; i++) a[i * k + i] += r;
  const b = new Float64Array(k * k);
  for (let i = 0; i < k; i++) b[i * k + i] = 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(a[i * k + c]!) > Math.abs(a[p * k + c]!)) p = i;
    for (let j = 0; j < k; j++) {
      [a[c * k + j], a[p * k + j]] = [a[p * k + j]!, a[c * k + j]!];
      [b[c * k + j], b[p * k + j]] = [b[p * k + j]!, b[c * k + j]!];
    }
    const piv = a[c * k + c]!;
    if (Math.abs(piv) <= 1e-30) {
      for (let j = 0; j < k; j++) a[c * k + j] = b[c * k + j] = 0;
      continue;
    }
    for (let j = 0; j < k; j++) {
      a[c * k + j] /= piv;
      b[c * k + j] /= piv;
    }
    for (let i = 0; i < k; i++) {
      if (i === c) continue;
      const f = a[i * k + c]!;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) {
        a[i * k + j] -= f * a[c * k + j]!;
        b[i * k + j] -= f * b[c * k + j]!;
      }
    }
  }
  return b;
}
