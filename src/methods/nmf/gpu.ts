// The WebGPU path of every NMF variant: the same steps as cpu.ts, composed from the shared products
// in gpu-ops.ts. Layouts (float32, zero-padded to vec4s): X in row blocks of pixels × 4m4 channels;
// W per block pixels × 4kq; the spectra stored transposed, Ht (4m4 × 4kq), so that both factors are
// "rows × components" and one update kernel serves both. Iterations are only encoded; the work runs
// at the next error()/read(), one submit per convergence check.
import { planChunks, type BufferScope, type Dispatch, type GpuEngine } from '../../engine/index.js';
import type { NmfBackend, NmfState } from './backend.js';
import { NmfOps, type AtbBlock } from './gpu-ops.js';
import { usesKl, type ResolvedNmf } from './model.js';
import { GpuMinvolState } from './minvol-gpu.js';

interface DataBlock {
  start: number;
  rows: number;
  X: GPUBuffer;
  ones: GPUBuffer;
}

export interface GpuNmfOptions {
  /** Largest row block of X in bytes (default: the engine's maxBindingBytes); tests lower it to force several blocks. */
  maxBlockBytes?: number;
}

const quads = (k: number) => Math.ceil(k / 4);

/** Pad a row-major rows × cols matrix to rows × (4·ceil(cols/4)) float32. */
function padRows(src: ArrayLike<number>, rows: number, cols: number, srcOffsetRow = 0): Float32Array {
  const w = 4 * quads(cols);
  const out = new Float32Array(rows * w);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) out[i * w + c] = src[(srcOffsetRow + i) * cols + c]!;
  return out;
}

export class GpuNmfBackend implements NmfBackend {
  readonly ops: NmfOps;
  readonly blocks: DataBlock[];
  readonly m4: number;
  readonly onesM: GPUBuffer;
  /** Owns the data blocks until dispose(). */
  private readonly scope: BufferScope;

  constructor(
    readonly gpu: GpuEngine,
    X: Float32Array,
    readonly n: number,
    readonly m: number,
    o: GpuNmfOptions = {},
  ) {
    this.ops = new NmfOps(gpu);
    const scope = (this.scope = gpu.openScope());
    this.m4 = quads(m);
    const rowBytes = this.m4 * 16;
    const chunks = planChunks(n, rowBytes, o.maxBlockBytes ?? gpu.maxBindingBytes);
    this.blocks = chunks.map((c) => {
      const rows = c.end - c.start;
      const Xb = this.m4 * 4 === m ? X.subarray(c.start * m, c.end * m) : padRows(X, rows, m, c.start);
      const ones = new Float32Array(rows * 4);
      for (let i = 0; i < rows; i++) ones[i * 4] = 1;
      return { start: c.start, rows, X: scope.storage(Xb, 'nmf-X'), ones: scope.storage(ones, 'nmf-ones') };
    });
    const onesM = new Float32Array(4 * this.m4 * 4);
    for (let c = 0; c < 4 * this.m4; c++) onesM[c * 4] = 1;
    this.onesM = scope.storage(onesM, 'nmf-ones');
  }

  /** Run an atb product of the data blocks (A_b = X or per-block buffers) and read 4b4 × 4aq floats. */
  private async atbRead(blocks: AtbBlock[], aq: number, b4: number, symmetric = false): Promise<Float32Array> {
    const { gpu } = this;
    return gpu.scope((s) => {
      const rows = blocks.map((b) => b.rows);
      const part = s.storage(NmfOps.partialBytes(rows, aq, b4), 'nmf-partials');
      const out = s.storage(4 * b4 * aq * 16, 'nmf-out');
      return gpu.validated('nmf product', async () => {
        gpu.submit(this.ops.atb(blocks, aq, b4, part, out, symmetric));
        return gpu.readF32(out, 4 * b4 * 4 * aq);
      });
    });
  }

  async gram(): Promise<Float64Array> {
    const { m, m4 } = this;
    // Symmetric: the kernel computes the upper triangle (a <= b) only; mirror it.
    const f = await this.atbRead(
      this.blocks.map((b) => ({ A: b.X, B: b.X, rows: b.rows })),
      m4,
      m4,
      true,
    );
    const G = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let b = a; b < m; b++) {
        const v = f[a * 4 * m4 + b]!;
        G[a * m + b] = v;
        G[b * m + a] = v;
      }
    }
    return G;
  }

  async columnSums(): Promise<Float64Array> {
    const f = await this.atbRead(
      this.blocks.map((b) => ({ A: b.X, B: b.ones, rows: b.rows })),
      this.m4,
      1,
    );
    return Float64Array.from(f.subarray(0, this.m));
  }

  async project(V: Float64Array, k: number): Promise<Float64Array> {
    const { gpu, n, m, m4 } = this;
    const kq = quads(k);
    const out = new Float64Array(n * k);
    await gpu.scope(async (s) => {
      const Vb = s.storage(padRowsTo(V, m, k, 4 * m4), 'nmf-V');
      for (const b of this.blocks) {
        const f = await gpu.scope((block) => {
          const C = block.storage(b.rows * kq * 16, 'nmf-XV');
          return gpu.validated('nmf projection', async () => {
            gpu.submit([this.ops.abt(b.X, b.rows, m4, Vb, kq, C)]);
            return gpu.readF32(C, b.rows * kq * 4);
          });
        });
        for (let i = 0; i < b.rows; i++) for (let j = 0; j < k; j++) out[(b.start + i) * k + j] = f[i * 4 * kq + j]!;
      }
    });
    return out;
  }

  async projectT(U: Float64Array, l: number): Promise<Float64Array> {
    const { m, m4 } = this;
    const lq = quads(l);
    const f = await this.gpu.scope((s) => {
      const Ub = this.blocks.map((b) => s.storage(padRows(U, b.rows, l, b.start), 'nmf-U'));
      return this.atbRead(
        this.blocks.map((b, i) => ({ A: Ub[i]!, B: b.X, rows: b.rows })),
        lq,
        m4,
      );
    });
    const out = new Float64Array(m * l);
    for (let c = 0; c < m; c++) for (let j = 0; j < l; j++) out[c * l + j] = f[c * 4 * lq + j]!;
    return out;
  }

  start(s: ResolvedNmf, W: Float64Array, H: Float64Array, k: number): NmfState {
    if (s.method === 'minvol') return new GpuMinvolState(this, s, W, H, k);
    return new GpuNmfState(this, s, W, H, k);
  }

  dispose(): void {
    this.scope.close();
    this.ops.dispose();
  }
}

/** Pad a rows × cols matrix to padRowsCount × 4·ceil(cols/4) float32 (extra rows zero). */
function padRowsTo(src: ArrayLike<number>, rows: number, cols: number, padRowsCount: number): Float32Array {
  const w = 4 * quads(cols);
  const out = new Float32Array(padRowsCount * w);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) out[i * w + c] = src[i * cols + c]!;
  return out;
}

interface FactorBlock extends DataBlock {
  W: GPUBuffer;
  /** Per-row projected-gradient sums of the last W sweep (hals only: scikit-learn's stopping rule). */
  violW: GPUBuffer | null;
  PW: GPUBuffer;
  DW: GPUBuffer;
  /** The model W·H of this block (loss checks, KL). */
  WH: GPUBuffer;
  /** X / WH (KL only). */
  R: GPUBuffer | null;
  rowErr: GPUBuffer;
  errOff: number;
}

class GpuNmfState implements NmfState {
  private readonly gpu: GpuEngine;
  private readonly ops: NmfOps;
  private readonly kq: number;
  private readonly m4: number;
  private readonly mRows: number;
  private readonly fb: FactorBlock[];
  /** Owns the factors, products and partial sums until dispose(). */
  private readonly scope: BufferScope;
  private pending: Dispatch[] = [];
  private readonly Ht: GPUBuffer;
  private readonly H: GPUBuffer;
  private readonly PH: GPUBuffer;
  private readonly DH: GPUBuffer;
  private readonly GH: GPUBuffer;
  private readonly GW: GPUBuffer;
  private readonly M: GPUBuffer;
  private readonly sums: GPUBuffer;
  private readonly penW: GPUBuffer;
  private readonly penH: GPUBuffer;
  private readonly errPart: GPUBuffer;
  private readonly errCount: number;
  private readonly partials = new Map<string, GPUBuffer>();
  private readonly kl: boolean;
  /** hals: per-channel-row violations of the last H sweep, and the two sums. */
  private readonly violH: GPUBuffer | null;
  private readonly violSums: GPUBuffer[];

  constructor(
    private readonly data: GpuNmfBackend,
    private readonly s: ResolvedNmf,
    W: Float64Array,
    Hm: Float64Array,
    readonly k: number,
  ) {
    const gpu = (this.gpu = data.gpu);
    this.ops = data.ops;
    const kq = (this.kq = quads(k));
    const m4 = (this.m4 = data.m4);
    this.mRows = 4 * m4;
    this.kl = usesKl(s.method);
    const scope = (this.scope = gpu.openScope());
    let errOff = 0;
    this.fb = data.blocks.map((b) => {
      const blk: FactorBlock = {
        ...b,
        W: scope.storage(padRows(W, b.rows, k, b.start), 'nmf-W'),
        violW: s.method === 'hals' ? scope.storage(b.rows * 16, 'nmf-viol') : null,
        PW: scope.storage(b.rows * kq * 16, 'nmf-PW'),
        DW: scope.storage(b.rows * kq * 16, 'nmf-DW'),
        WH: scope.storage(b.rows * m4 * 16, 'nmf-WH'),
        R: this.kl ? scope.storage(b.rows * m4 * 16, 'nmf-R') : null,
        rowErr: scope.storage(b.rows * 4, 'nmf-rowerr'),
        errOff,
      };
      errOff += this.ops.errorPartials(b.rows);
      return blk;
    });
    this.errCount = errOff;
    this.errPart = scope.storage(errOff * 4, 'nmf-errpart');
    // Ht[c][t] = H[t][c], zero-padded to 4m4 × 4kq.
    const Ht = new Float32Array(this.mRows * 4 * kq);
    for (let t = 0; t < k; t++) for (let c = 0; c < data.m; c++) Ht[c * 4 * kq + t] = Hm[t * data.m + c]!;
    this.Ht = scope.storage(Ht, 'nmf-Ht');
    this.H = scope.storage(this.mRows * 4 * kq * 4, 'nmf-H');
    this.PH = scope.storage(this.mRows * kq * 16, 'nmf-PH');
    this.DH = scope.storage(this.mRows * kq * 16, 'nmf-DH');
    this.GH = scope.storage(4 * kq * kq * 16, 'nmf-GH');
    this.GW = scope.storage(4 * kq * kq * 16, 'nmf-GW');
    this.M = scope.storage(4 * kq * kq * 16, 'nmf-M');
    this.sums = scope.storage(4 * kq * 16, 'nmf-sums');
    this.penW = scope.storage(4 * kq * 4, 'nmf-penW');
    this.penH = scope.storage(4 * kq * 4, 'nmf-penH');
    this.setPenalties(new Float64Array(k), new Float64Array(k));
    this.violH = s.method === 'hals' ? scope.storage(this.mRows * 16, 'nmf-viol') : null;
    this.violSums = s.method === 'hals' ? [scope.storage(64, 'nmf-viol-sum'), scope.storage(64, 'nmf-viol-sum')] : [];
  }

  /** The partial-sum buffer for atb products of this shape, allocated once per state. */
  private part(rows: number[], aq: number, b4: number): GPUBuffer {
    const key = `${rows.join('+')}:${aq}:${b4}`;
    let b = this.partials.get(key);
    if (!b) {
      b = this.scope.storage(NmfOps.partialBytes(rows, aq, b4), 'nmf-partials');
      this.partials.set(key, b);
    }
    return b;
  }

  /** atb over the pixel blocks with per-block A and B. */
  /** Wᵀ X over the pixel blocks into `out` (k × channels, padded). */
  private wtx(out: GPUBuffer): Dispatch[] {
    return this.atbPixels(
      (b) => b.W,
      this.kq,
      (b) => b.X,
      this.m4,
      out,
    );
  }

  /** Wᵀ W over the pixel blocks into `out` (k × k, padded). */
  private wtw(out: GPUBuffer): Dispatch[] {
    return this.atbPixels(
      (b) => b.W,
      this.kq,
      (b) => b.W,
      this.kq,
      out,
    );
  }

  private atbPixels(
    A: (b: FactorBlock) => GPUBuffer,
    aq: number,
    B: (b: FactorBlock) => GPUBuffer,
    b4: number,
    out: GPUBuffer,
  ): Dispatch[] {
    const blocks = this.fb.map((b) => ({ A: A(b), B: B(b), rows: b.rows }));
    return this.ops.atb(
      blocks,
      aq,
      b4,
      this.part(
        this.fb.map((b) => b.rows),
        aq,
        b4,
      ),
      out,
    );
  }

  /** atb over the channel rows of the spectra (one block). */
  private atbChannels(A: GPUBuffer, aq: number, B: GPUBuffer, b4: number, out: GPUBuffer): Dispatch[] {
    return this.ops.atb([{ A, B, rows: this.mRows }], aq, b4, this.part([this.mRows], aq, b4), out);
  }

  private wh(): Dispatch[] {
    const { ops, kq, m4 } = this;
    return [
      ops.transpose(this.Ht, this.mRows, 4 * kq, this.H),
      ...this.fb.map((b) => ops.abt(b.W, b.rows, kq, this.H, m4, b.WH)),
    ];
  }

  private ratio(): Dispatch[] {
    return [
      ...this.wh(),
      ...this.fb.map((b) =>
        this.ops.modelError('ratio', b.X, b.WH, b.rows, this.m4, b.rowErr, this.errPart, b.errOff, b.R!),
      ),
    ];
  }

  // ---- the half-steps
  private muW(): Dispatch[] {
    const { ops, kq, m4 } = this;
    return [
      ...this.fb.map((b) => ops.abt(b.X, b.rows, m4, this.Ht, kq, b.PW)),
      ...this.atbChannels(this.Ht, kq, this.Ht, kq, this.GH),
      ...this.fb.map((b) => ops.abt(b.W, b.rows, kq, this.GH, kq, b.DW)),
      ...this.fb.map((b) => ops.mu(b.W, b.rows, kq, b.PW, b.DW, this.penW, true)),
    ];
  }

  private muH(orthogonal: boolean): Dispatch[] {
    const { ops, kq, mRows } = this;
    const ds = [...this.wtx(this.PH)];
    if (orthogonal) {
      ds.push(...this.atbChannels(this.PH, kq, this.Ht, kq, this.M));
      ds.push(ops.abt(this.Ht, mRows, kq, this.M, kq, this.DH));
    } else {
      ds.push(...this.wtw(this.GW));
      ds.push(ops.abt(this.Ht, mRows, kq, this.GW, kq, this.DH));
    }
    ds.push(ops.mu(this.Ht, mRows, kq, this.PH, this.DH, this.penH, true, orthogonal));
    return ds;
  }

  private klW(): Dispatch[] {
    const { ops, kq, m4 } = this;
    return [
      ...this.ratio(),
      ...this.fb.map((b) => ops.abt(b.R!, b.rows, m4, this.Ht, kq, b.PW)),
      ...this.atbChannels(this.Ht, kq, this.data.onesM, 1, this.sums),
      ...this.fb.map((b) => ops.mu(b.W, b.rows, kq, b.PW, this.sums, this.penW, false)),
    ];
  }

  private klH(): Dispatch[] {
    const { ops, kq, m4 } = this;
    return [
      ...this.ratio(),
      ...this.atbPixels(
        (b) => b.W,
        kq,
        (b) => b.R!,
        m4,
        this.PH,
      ),
      ...this.atbPixels(
        (b) => b.W,
        kq,
        (b) => b.ones,
        1,
        this.sums,
      ),
      ops.mu(this.Ht, this.mRows, kq, this.PH, this.sums, this.penH, false),
    ];
  }

  private halsW(): Dispatch[] {
    const { ops, kq, m4 } = this;
    const ds = [
      ...this.fb.map((b) => ops.abt(b.X, b.rows, m4, this.Ht, kq, b.PW)),
      ...this.atbChannels(this.Ht, kq, this.Ht, kq, this.GH),
    ];
    for (const b of this.fb)
      ds.push(ops.hals(b.W, b.rows, kq, this.k, b.PW, this.GH, this.penW, this.s.wo, b.violW ?? undefined));
    return ds;
  }

  private halsH(): Dispatch[] {
    const { ops, kq } = this;
    const ds = [...this.wtx(this.PH), ...this.wtw(this.GW)];
    ds.push(ops.hals(this.Ht, this.mRows, kq, this.k, this.PH, this.GW, this.penH, 0, this.violH ?? undefined));
    return ds;
  }

  private unitSpectra(): Dispatch[] {
    const { ops, kq } = this;
    return [
      ...this.atbChannels(this.Ht, kq, this.Ht, kq, this.GH),
      ops.scaleColumns(this.Ht, this.mRows, kq, this.GH, false),
      ...this.fb.map((b) => ops.scaleColumns(b.W, b.rows, kq, this.GH, true)),
    ];
  }

  private leastSquaresH(): Dispatch[] {
    const { ops, kq } = this;
    return [
      ...this.wtx(this.PH),
      ...this.wtw(this.GW),
      ops.inverse(this.GW, this.k, kq, this.M),
      ops.abt(this.PH, this.mRows, kq, this.M, kq, this.Ht),
    ];
  }

  iterate(iters: number): void {
    for (let it = 0; it < iters; it++) {
      switch (this.s.method) {
        case 'mu':
          this.pending.push(...this.muW(), ...this.muH(false));
          break;
        case 'kl':
          this.pending.push(...this.klW(), ...this.klH());
          break;
        case 'hals':
          this.pending.push(...this.halsW(), ...this.halsH());
          break;
        case 'so':
        case 'ard':
          this.pending.push(...this.halsW(), ...this.halsH(), ...this.unitSpectra());
          break;
        case 'onmf':
          this.pending.push(...this.muW(), ...this.muH(true));
          break;
        case 'semi':
          this.pending.push(...this.leastSquaresH(), ...this.halsW());
          break;
      }
    }
  }

  /** Submit the pending iterations plus `extra`, then read `count` floats of `buf`. */
  private async run(extra: Dispatch[], buf: GPUBuffer, count: number): Promise<Float32Array> {
    const ds = [...this.pending, ...extra];
    this.pending = [];
    return this.gpu.validated(`nmf ${this.s.method}`, async () => {
      this.gpu.submit(ds);
      return this.gpu.readF32(buf, count);
    });
  }

  private errorPass(): Dispatch[] {
    const mode = this.kl ? 'kl' : 'frobenius';
    return [
      ...this.wh(),
      ...this.fb.map((b) =>
        this.ops.modelError(mode, b.X, b.WH, b.rows, this.m4, b.rowErr, this.errPart, b.errOff, this.ops.dummy),
      ),
    ];
  }

  async error(): Promise<number> {
    const part = await this.run(this.errorPass(), this.errPart, this.errCount);
    let s = 0;
    for (const v of part) s += v;
    return this.kl ? Math.sqrt(2 * Math.max(s, 0)) : Math.sqrt(Math.max(s, 0));
  }

  /** hals: Σ |projected gradient| over the W and H sweeps of the last iteration (scikit-learn's 'cd' violation). */
  async violation(): Promise<number> {
    const [sw, sh] = this.violSums as [GPUBuffer, GPUBuffer];
    const w = await this.run(
      this.atbPixels(
        (b) => b.violW!,
        1,
        (b) => b.ones,
        1,
        sw,
      ),
      sw,
      1,
    );
    const h = await this.run(this.atbChannels(this.violH!, 1, this.data.onesM, 1, sh), sh, 1);
    return w[0]! + h[0]!;
  }

  async rowErrors(): Promise<Float64Array> {
    await this.run(this.errorPass(), this.errPart, 1);
    const out = new Float64Array(this.data.n);
    for (const b of this.fb) out.set(await this.gpu.readF32(b.rowErr, b.rows), b.start);
    return out;
  }

  private async kByK(G: GPUBuffer, ds: Dispatch[]): Promise<Float64Array> {
    const { k, kq } = this;
    const f = await this.run(ds, G, 16 * kq * kq);
    const out = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a * k + b] = f[a * 4 * kq + b]!;
    return out;
  }

  async grams(): Promise<{ WtW: Float64Array; HHt: Float64Array }> {
    const { kq } = this;
    const WtW = await this.kByK(this.GW, this.wtw(this.GW));
    const HHt = await this.kByK(this.GH, this.atbChannels(this.Ht, kq, this.Ht, kq, this.GH));
    return { WtW, HHt };
  }

  async l1Norms(): Promise<{ w: Float64Array; h: Float64Array }> {
    const { k, kq } = this;
    const w = await this.run(
      this.atbPixels(
        (b) => b.W,
        kq,
        (b) => b.ones,
        1,
        this.sums,
      ),
      this.sums,
      k,
    );
    const h = await this.run(this.atbChannels(this.Ht, kq, this.data.onesM, 1, this.sums), this.sums, k);
    return { w: Float64Array.from(w), h: Float64Array.from(h) };
  }

  setPenalties(l1W: Float64Array, l1H: Float64Array): void {
    const pw = new Float32Array(4 * this.kq);
    const ph = new Float32Array(4 * this.kq);
    for (let t = 0; t < this.k; t++) {
      pw[t] = l1W[t]! + this.s.l1W;
      ph[t] = l1H[t]! + this.s.l1H;
    }
    this.gpu.write(this.penW, pw);
    this.gpu.write(this.penH, ph);
  }

  async read(): Promise<{ W: Float64Array; H: Float64Array }> {
    const { k, kq } = this;
    const { n, m } = this.data;
    const Ht = await this.run([], this.Ht, this.mRows * 4 * kq);
    const W = new Float64Array(n * k);
    for (const b of this.fb) {
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
