// Minimum-volume NMF on WebGPU: the steps of minvol-cpu.ts with the big products (X Hᵀ, WᵀX, WᵀW,
// HHᵀ, W·H) and the HALS sweeps on the GPU through the shared NMF kernels, and the k × k algebra
// of each iteration (minvol.ts: (HHᵀ + δI)⁻¹, the closure terms) on the host: two small readbacks
// per iteration (HHᵀ before the W step, WᵀW before the H step). Layouts as gpu.ts.
import type { BufferScope, Dispatch, GpuEngine } from '../../engine/index.js';
import type { NmfState } from './backend.js';
import type { GpuNmfBackend } from './gpu.js';
import { NmfOps } from './gpu-ops.js';
import type { ResolvedNmf } from './model.js';
import { minvolStep, minvolWeights, volumePenalty, type MinvolWeights } from './minvol.js';
import { unitSpectra } from './cpu.js';

interface Block {
  start: number;
  rows: number;
  X: GPUBuffer;
  W: GPUBuffer;
  PW: GPUBuffer;
  WH: GPUBuffer;
  rowErr: GPUBuffer;
  errOff: number;
}

export class GpuMinvolState implements NmfState {
  private readonly gpu: GpuEngine;
  private readonly ops: NmfOps;
  private readonly kq: number;
  private readonly m4: number;
  private readonly mRows: number;
  private readonly blocks: Block[];
  /** Owns the factors, products and partial sums until dispose(). */
  private readonly scope: BufferScope;
  private readonly partials = new Map<string, GPUBuffer>();
  private pending: Dispatch[] = [];
  private readonly Ht: GPUBuffer;
  private readonly H: GPUBuffer;
  private readonly PH: GPUBuffer;
  /** HHᵀ and WᵀW as the products leave them; GW and GH the Gram matrices the host hands the sweeps. */
  private readonly HHt: GPUBuffer;
  private readonly WtW: GPUBuffer;
  private readonly GW: GPUBuffer;
  private readonly GH: GPUBuffer;
  private readonly penW: GPUBuffer;
  private readonly penH: GPUBuffer;
  private readonly errPart: GPUBuffer;
  private readonly errCount: number;
  private weights: MinvolWeights | null = null;

  constructor(
    private readonly data: GpuNmfBackend,
    private readonly s: ResolvedNmf,
    W0: Float64Array,
    H0: Float64Array,
    readonly k: number,
  ) {
    const gpu = (this.gpu = data.gpu);
    this.ops = data.ops;
    const kq = (this.kq = Math.ceil(k / 4));
    const m4 = (this.m4 = data.m4);
    const m = data.m;
    this.mRows = 4 * m4;
    const scope = (this.scope = gpu.openScope());
    const W = Float64Array.from(W0);
    const Hm = Float64Array.from(H0);
    if (!s.closure) unitSpectra(W, Hm, data.n, m, k);
    let errOff = 0;
    this.blocks = data.blocks.map((b) => {
      const Wb = new Float32Array(b.rows * 4 * kq);
      for (let i = 0; i < b.rows; i++) for (let t = 0; t < k; t++) Wb[i * 4 * kq + t] = W[(b.start + i) * k + t]!;
      const blk: Block = {
        start: b.start,
        rows: b.rows,
        X: b.X,
        W: scope.storage(Wb, 'minvol-W'),
        PW: scope.storage(b.rows * kq * 16, 'minvol-PW'),
        WH: scope.storage(b.rows * m4 * 16, 'minvol-WH'),
        rowErr: scope.storage(b.rows * 4, 'minvol-rowerr'),
        errOff,
      };
      errOff += this.ops.errorPartials(b.rows);
      return blk;
    });
    this.errCount = errOff;
    this.errPart = scope.storage(errOff * 4, 'minvol-errpart');
    const Ht = new Float32Array(this.mRows * 4 * kq);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) Ht[c * 4 * kq + t] = Hm[t * m + c]!;
    this.Ht = scope.storage(Ht, 'minvol-Ht');
    this.H = scope.storage(this.mRows * 4 * kq * 4, 'minvol-H');
    this.PH = scope.storage(this.mRows * kq * 16, 'minvol-PH');
    const kk = 4 * kq * kq * 16;
    this.HHt = scope.storage(kk, 'minvol-HHt');
    this.WtW = scope.storage(kk, 'minvol-WtW');
    this.GW = scope.storage(kk, 'minvol-GW');
    this.GH = scope.storage(kk, 'minvol-GH');
    this.penW = scope.storage(4 * kq * 4, 'minvol-penW');
    const ph = new Float32Array(4 * kq);
    ph.fill(s.l1H, 0, k);
    this.penH = scope.storage(ph, 'minvol-penH');
  }

  private part(rows: number[], aq: number, b4: number): GPUBuffer {
    const key = `${rows.join('+')}:${aq}:${b4}`;
    let b = this.partials.get(key);
    if (!b) {
      b = this.scope.storage(NmfOps.partialBytes(rows, aq, b4), 'minvol-partials');
      this.partials.set(key, b);
    }
    return b;
  }

  /** Σ over the pixel blocks of Aᵀ B. */
  private atbPixels(A: (b: Block) => GPUBuffer, aq: number, B: (b: Block) => GPUBuffer, b4: number, out: GPUBuffer) {
    const rows = this.blocks.map((b) => b.rows);
    const blocks = this.blocks.map((b) => ({ A: A(b), B: B(b), rows: b.rows }));
    return this.ops.atb(blocks, aq, b4, this.part(rows, aq, b4), out);
  }

  /** HHᵀ from the transposed spectra (one block of channel rows). */
  private hhtPass(): Dispatch[] {
    const { kq } = this;
    return this.ops.atb(
      [{ A: this.Ht, B: this.Ht, rows: this.mRows }],
      kq,
      kq,
      this.part([this.mRows], kq, kq),
      this.HHt,
    );
  }

  /** Submit the pending work plus `extra`, then read `count` floats of `buf`. */
  private async run(extra: Dispatch[], buf: GPUBuffer, count: number): Promise<Float32Array> {
    const ds = [...this.pending, ...extra];
    this.pending = [];
    return this.gpu.validated('nmf minvol', async () => {
      this.gpu.submit(ds);
      return this.gpu.readF32(buf, count);
    });
  }

  private async kByK(buf: GPUBuffer, ds: Dispatch[]): Promise<Float64Array> {
    const { k, kq } = this;
    const f = await this.run(ds, buf, 16 * kq * kq);
    const out = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a * k + b] = f[a * 4 * kq + b]!;
    return out;
  }

  /** Write a k × k matrix into a 4kq × 4kq Gram buffer (zero padding). */
  private writeKByK(buf: GPUBuffer, G: Float64Array): void {
    const { k, kq } = this;
    const f = new Float32Array(16 * kq * kq);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) f[a * 4 * kq + b] = G[a * k + b]!;
    this.gpu.write(buf, f);
  }

  private async weightsNow(): Promise<MinvolWeights> {
    if (!this.weights) {
      const HHt0 = await this.kByK(this.HHt, this.hhtPass());
      const e = await this.error();
      this.weights = minvolWeights(HHt0, this.k, e * e, this.s);
    }
    return this.weights;
  }

  async iterate(iters: number): Promise<void> {
    const { ops, k, kq, m4, s } = this;
    const w = await this.weightsNow();
    for (let it = 0; it < iters; it++) {
      const step = minvolStep(await this.kByK(this.HHt, this.hhtPass()), k, w, s.closure);
      this.writeKByK(this.GW, step.GW);
      const pw = new Float32Array(4 * kq);
      pw.fill(s.l1W - step.closureShift, 0, k);
      this.gpu.write(this.penW, pw);
      for (const b of this.blocks) {
        this.pending.push(ops.abt(b.X, b.rows, m4, this.Ht, kq, b.PW));
        this.pending.push(ops.hals(b.W, b.rows, kq, k, b.PW, this.GW, this.penW, 0));
      }
      this.pending.push(
        ...this.atbPixels(
          (b) => b.W,
          kq,
          (b) => b.X,
          m4,
          this.PH,
        ),
      );
      const WtW = await this.kByK(
        this.WtW,
        this.atbPixels(
          (b) => b.W,
          kq,
          (b) => b.W,
          kq,
          this.WtW,
        ),
      );
      this.writeKByK(
        this.GH,
        WtW.map((v, e) => v + step.lambdaY[e]!),
      );
      this.pending.push(ops.hals(this.Ht, this.mRows, kq, k, this.PH, this.GH, this.penH, 0));
      if (!s.closure) {
        this.pending.push(...this.hhtPass(), ops.scaleColumns(this.Ht, this.mRows, kq, this.HHt, false));
        for (const b of this.blocks) this.pending.push(ops.scaleColumns(b.W, b.rows, kq, this.HHt, true));
      }
    }
  }

  private errorPass(): Dispatch[] {
    const { ops, kq, m4 } = this;
    return [
      ops.transpose(this.Ht, this.mRows, 4 * kq, this.H),
      ...this.blocks.map((b) => ops.abt(b.W, b.rows, kq, this.H, m4, b.WH)),
      ...this.blocks.map((b) =>
        ops.modelError('frobenius', b.X, b.WH, b.rows, m4, b.rowErr, this.errPart, b.errOff, ops.dummy),
      ),
    ];
  }

  async error(): Promise<number> {
    const part = await this.run(this.errorPass(), this.errPart, this.errCount);
    let q = 0;
    for (const v of part) q += v;
    return Math.sqrt(Math.max(q, 0));
  }

  async penalty(): Promise<number> {
    const w = await this.weightsNow();
    return volumePenalty(await this.kByK(this.HHt, this.hhtPass()), this.k, w);
  }

  async rowErrors(): Promise<Float64Array> {
    await this.run(this.errorPass(), this.errPart, 1);
    const out = new Float64Array(this.data.n);
    for (const b of this.blocks) out.set(await this.gpu.readF32(b.rowErr, b.rows), b.start);
    return out;
  }

  async grams(): Promise<{ WtW: Float64Array; HHt: Float64Array }> {
    const { kq } = this;
    const WtW = await this.kByK(
      this.WtW,
      this.atbPixels(
        (b) => b.W,
        kq,
        (b) => b.W,
        kq,
        this.WtW,
      ),
    );
    return { WtW, HHt: await this.kByK(this.HHt, this.hhtPass()) };
  }

  async l1Norms(): Promise<{ w: Float64Array; h: Float64Array }> {
    const { W, H } = await this.read();
    const { n, m } = this.data;
    const { k } = this;
    const w = new Float64Array(k);
    const h = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) w[t] += Math.abs(W[i * k + t]!);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) h[t] += Math.abs(H[t * m + c]!);
    return { w, h };
  }

  setPenalties(): void {
    // Minimum-volume NMF takes no per-component penalties (no ARD).
  }

  async read(): Promise<{ W: Float64Array; H: Float64Array }> {
    const { k, kq } = this;
    const { n, m } = this.data;
    const Ht = await this.run([], this.Ht, this.mRows * 4 * kq);
    const W = new Float64Array(n * k);
    for (const b of this.blocks) {
      const f = await this.gpu.readF32(b.W, b.rows * 4 * kq);
      for (let i = 0; i < b.rows; i++) for (let t = 0; t < k; t++) W[(b.start + i) * k + t] = f[i * 4 * kq + t]!;
    }
    const H = new Float64Array(k * m);
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) H[t * m + c] = Ht[c * 4 * kq + t]!;
    return { W, H };
  }

  dispose(): void {
    this.scope.close();
    this.partials.clear();
  }
}
