// The NMF kernels (kernels/nmf/*.wgsl) as dispatch builders over an engine: every variant in
// gpu.ts is a composition of these few operations. The engine shares uniform buffers by content,
// so a dispatch built every iteration reuses the same small buffers.
import type { BufferScope, Define, Dispatch, GpuEngine, Kernel } from '../../engine/index.js';
import { NMF_EPS, SEMI_RIDGE } from './cpu.js';

/** Rows per thread of abt.wgsl (its register block). */
const ABT_ROWS = 8;
/** Byte budget of one atb partial-sum buffer; slices of rows grow to stay under it. */
const PARTIAL_BYTES = 32 * 1024 * 1024;
const MAX_SLICES = 4096;
const MIN_SLICE_ROWS = 128;

/** Rows of one atb slice for a product over `rows` rows whose output has len4 vec4s. */
export function sliceRowsFor(rows: number, len4: number): number {
  const maxSlices = Math.max(1, Math.min(MAX_SLICES, Math.floor(PARTIAL_BYTES / (len4 * 16))));
  return Math.max(MIN_SLICE_ROWS, Math.ceil(rows / maxSlices));
}

/** One operand block of an atb product: A (rows × 4aq) and B (rows × 4b4) over the same rows. */
export interface AtbBlock {
  A: GPUBuffer;
  B: GPUBuffer;
  rows: number;
}

export class NmfOps {
  private readonly scope: BufferScope;
  readonly dummy: GPUBuffer;
  readonly dummy2: GPUBuffer;

  constructor(readonly gpu: GpuEngine) {
    this.scope = gpu.openScope();
    this.dummy = this.scope.storage(new Float32Array(4), 'nmf-dummy');
    this.dummy2 = this.scope.storage(new Float32Array(4), 'nmf-dummy');
  }

  private k(name: string, defines: Record<string, Define> = {}): Kernel {
    return this.gpu.kernel({ name: `nmf/${name}`, defines });
  }

  /** Threads per workgroup of every NMF kernel but inverse. */
  get wg(): number {
    return this.gpu.workgroupSize;
  }

  /** C (rows × 4nq) = A (rows × 4inner4) · B (4inner4 × 4nq). */
  abt(A: GPUBuffer, rows: number, inner4: number, B: GPUBuffer, nq: number, C: GPUBuffer): Dispatch {
    const QB = nq >= 2 ? 2 : 1;
    const groups = Math.ceil(rows / (this.wg * ABT_ROWS)) * Math.ceil(nq / QB);
    return this.k('abt', { QB }).dispatch({ A, B, C }, { P: { rows, inner4, nq } }, groups);
  }

  /** out (4b4 × 4aq) = Σ over the blocks' rows of Aᵀ B, through `partials` (sized by partialBytes).
   * `symmetric` (A = B, aq = b4): only the entries out[c][t] with c <= t are computed (others undefined). */
  atb(blocks: AtbBlock[], aq: number, b4: number, partials: GPUBuffer, out: GPUBuffer, symmetric = false): Dispatch[] {
    const len4 = 4 * b4 * aq;
    const total = blocks.reduce((s, b) => s + b.rows, 0);
    const sliceRows = sliceRowsFor(total, len4);
    const ds: Dispatch[] = [];
    let off = 0;
    const threads = Math.ceil(b4 / 4) * aq;
    const atb = this.k('atb', { SYMMETRIC: symmetric });
    for (const b of blocks) {
      const slices = Math.ceil(b.rows / sliceRows);
      const P = { rows: b.rows, aq, b4, slice_rows: sliceRows, slice_off: off, slices };
      ds.push(atb.dispatch({ A: b.A, B: b.B, out: partials }, { P }, Math.ceil((threads * slices) / this.wg)));
      off += slices;
    }
    const reduce = this.k('reduce_slices');
    ds.push(reduce.dispatch({ part: partials, out }, { P: { len4, slices: off } }, Math.ceil(len4 / this.wg)));
    return ds;
  }

  /** Bytes of the partial-sum buffer an atb over these rows needs. */
  static partialBytes(blockRows: number[], aq: number, b4: number): number {
    const len4 = 4 * b4 * aq;
    const sliceRows = sliceRowsFor(
      blockRows.reduce((a, b) => a + b, 0),
      len4,
    );
    const slices = blockRows.reduce((s, r) => s + Math.ceil(r / sliceRows), 0);
    return slices * len4 * 16;
  }

  /** F ← F ⊙ max(Num,0) / max(Den + l1, eps) (its square root with `root`); perRow: Den has F's shape, else one quad row (KL sums). */
  mu(
    F: GPUBuffer,
    rows: number,
    kq: number,
    Num: GPUBuffer,
    Den: GPUBuffer,
    l1: GPUBuffer,
    perRow: boolean,
    root = false,
  ): Dispatch {
    const kernel = this.k('mu', { MODE: perRow ? 0 : 1, ROOT: root, EPS: { f32: NMF_EPS } });
    return kernel.dispatch({ F, Num, Den, l1 }, { P: { count4: rows * kq, kq } }, Math.ceil((rows * kq) / this.wg));
  }

  /** All k HALS column steps of F, every row at once (kernels/nmf/hals_rows.wgsl); with `violation`
   * (rows × 4 floats) each row's projected-gradient sum goes to its first float. */
  hals(
    F: GPUBuffer,
    rows: number,
    kq: number,
    k: number,
    Num: GPUBuffer,
    G: GPUBuffer,
    l1: GPUBuffer,
    wo: number,
    violation?: GPUBuffer,
  ): Dispatch {
    const kernel = this.k('hals_rows', { VIOLATION: violation !== undefined });
    const V = violation ?? this.dummy;
    return kernel.dispatch({ F, Num, G, l1, V }, { P: { rows, kq, k, wo } }, Math.ceil(rows / this.wg));
  }

  /** mode 'frobenius' | 'kl': per-row error into rowOut and per-workgroup sums into partials at partOff;
   * 'ratio': R = X / max(WH, eps). */
  modelError(
    mode: 'frobenius' | 'kl' | 'ratio',
    X: GPUBuffer,
    WH: GPUBuffer,
    rows: number,
    m4: number,
    rowOut: GPUBuffer,
    partials: GPUBuffer,
    partOff: number,
    R: GPUBuffer,
  ): Dispatch {
    const kernel = this.k('model_error', {
      MODE: mode === 'frobenius' ? 0 : mode === 'kl' ? 1 : 2,
      EPS: { f32: NMF_EPS },
    });
    const P = { rows, m4, part_off: partOff };
    return kernel.dispatch({ X, WH, rowOut, partials, R }, { P }, Math.ceil(rows / this.wg));
  }

  /** Entries of the per-workgroup error sums of a modelError over `rows` rows. */
  errorPartials(rows: number): number {
    return Math.ceil(rows / this.wg);
  }

  transpose(src: GPUBuffer, rows: number, cols: number, dst: GPUBuffer): Dispatch {
    return this.k('transpose').dispatch({ src, dst }, { P: { rows, cols } }, Math.ceil((rows * cols) / this.wg));
  }

  /** Columns of F divided (or multiplied, `multiply`) by sqrt(diag G). */
  scaleColumns(F: GPUBuffer, rows: number, kq: number, G: GPUBuffer, multiply: boolean): Dispatch {
    const kernel = this.k('scale_columns', { MODE: multiply ? 1 : 0 });
    return kernel.dispatch({ F, G }, { P: { count4: rows * kq, kq } }, Math.ceil((rows * kq) / this.wg));
  }

  /** Ginv = (G + ridge)⁻¹ for the leading k×k block of a 4kq × 4kq Gram matrix. */
  inverse(G: GPUBuffer, k: number, kq: number, Ginv: GPUBuffer): Dispatch {
    return this.k('inverse', { K: k, K4: 4 * kq, RIDGE: { f32: SEMI_RIDGE } }).dispatch({ G, Ginv }, {}, 1);
  }

  dispose(): void {
    this.scope.close();
  }
}
