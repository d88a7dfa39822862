// The NMF kernels (kernels/nmf/*.wgsl) as dispatch builders over an engine: every variant in
// gpu.ts is a composition of these few operations. Uniform buffers are memoised by content, so a
// dispatch built every iteration reuses the same small buffers.
import type { Dispatch, GpuEngine } from '../../engine/index.js';
import indexLib from '../../../kernels/lib/index.wgsl';
import abtSrc from '../../../kernels/nmf/abt.wgsl';
import atbSrc from '../../../kernels/nmf/atb.wgsl';
import reduceSrc from '../../../kernels/nmf/reduce_slices.wgsl';
import muSrc from '../../../kernels/nmf/mu.wgsl';
import halsRowsSrc from '../../../kernels/nmf/hals_rows.wgsl';
import modelErrorSrc from '../../../kernels/nmf/model_error.wgsl';
import transposeSrc from '../../../kernels/nmf/transpose.wgsl';
import scaleSrc from '../../../kernels/nmf/scale_columns.wgsl';
import inverseSrc from '../../../kernels/nmf/inverse.wgsl';
import { NMF_EPS, SEMI_RIDGE } from './cpu.js';

const WG = 64;
/** Rows per thread of abt.wgsl (its register block). */
const ABT_ROWS = 8;
const LIBS = [{ name: 'lib/index', code: indexLib }];
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
  private readonly uniforms = new Map<string, GPUBuffer>();
  readonly dummy: GPUBuffer;
  readonly dummy2: GPUBuffer;

  constructor(readonly gpu: GpuEngine) {
    this.dummy = gpu.storage(new Float32Array(4), 'nmf-dummy');
    this.dummy2 = gpu.storage(new Float32Array(4), 'nmf-dummy');
  }

  /** A uniform buffer holding these 32-bit words (u32 unless given as {f32}). */
  uniform(words: (number | { f32: number })[]): GPUBuffer {
    const key = words.map((w) => (typeof w === 'number' ? `u${w}` : `f${w.f32}`)).join(',');
    let b = this.uniforms.get(key);
    if (!b) {
      const buf = new ArrayBuffer(Math.max(16, Math.ceil((words.length * 4) / 16) * 16));
      const u = new Uint32Array(buf);
      const f = new Float32Array(buf);
      words.forEach((w, i) => (typeof w === 'number' ? (u[i] = w) : (f[i] = w.f32)));
      b = this.gpu.uniform(buf, 'nmf-params');
      this.uniforms.set(key, b);
    }
    return b;
  }

  private k(
    name: string,
    code: string,
    defines: Record<string, number | boolean | { f32: number }> = {},
  ): GPUComputePipeline {
    return this.gpu.kernel({ name: `nmf/${name}`, code, libs: LIBS, defines: { WG, ...defines } });
  }

  /** C (rows × 4nq) = A (rows × 4inner4) · B (4inner4 × 4nq). */
  abt(A: GPUBuffer, rows: number, inner4: number, B: GPUBuffer, nq: number, C: GPUBuffer): Dispatch {
    const QB = nq >= 2 ? 2 : 1;
    return {
      kernel: this.k('abt', abtSrc, { QB }),
      bindings: [this.uniform([rows, inner4, nq, 0]), A, B, C],
      workgroups: Math.ceil(rows / (WG * ABT_ROWS)) * Math.ceil(nq / QB),
    };
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
    for (const b of blocks) {
      const slices = Math.ceil(b.rows / sliceRows);
      ds.push({
        kernel: this.k('atb', atbSrc, { SYMMETRIC: symmetric }),
        bindings: [this.uniform([b.rows, aq, b4, sliceRows, off, slices, 0, 0]), b.A, b.B, partials],
        workgroups: Math.ceil((threads * slices) / WG),
      });
      off += slices;
    }
    ds.push({
      kernel: this.k('reduce_slices', reduceSrc),
      bindings: [this.uniform([len4, off, 0, 0]), partials, out],
      workgroups: Math.ceil(len4 / WG),
    });
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
    const kernel = this.k('mu', muSrc, { MODE: perRow ? 0 : 1, ROOT: root, EPS: { f32: NMF_EPS } });
    return {
      kernel,
      bindings: [this.uniform([rows * kq, kq, 0, 0]), F, Num, Den, l1],
      workgroups: Math.ceil((rows * kq) / WG),
    };
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
    const u = this.uniform([rows, kq, k, 0, { f32: wo }, { f32: 0 }, { f32: 0 }, { f32: 0 }]);
    return {
      kernel: this.k('hals_rows', halsRowsSrc, { VIOLATION: violation !== undefined }),
      bindings: [u, F, Num, G, l1, violation ?? this.dummy],
      workgroups: Math.ceil(rows / WG),
    };
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
    const kernel = this.k('model_error', modelErrorSrc, {
      MODE: mode === 'frobenius' ? 0 : mode === 'kl' ? 1 : 2,
      EPS: { f32: NMF_EPS },
    });
    return {
      kernel,
      bindings: [this.uniform([rows, m4, partOff, 0]), X, WH, rowOut, partials, R],
      workgroups: Math.ceil(rows / WG),
    };
  }

  static errorPartials(rows: number): number {
    return Math.ceil(rows / WG);
  }

  transpose(src: GPUBuffer, rows: number, cols: number, dst: GPUBuffer): Dispatch {
    return {
      kernel: this.k('transpose', transposeSrc),
      bindings: [this.uniform([rows, cols, 0, 0]), src, dst],
      workgroups: Math.ceil((rows * cols) / WG),
    };
  }

  /** Columns of F divided (or multiplied, `multiply`) by sqrt(diag G). */
  scaleColumns(F: GPUBuffer, rows: number, kq: number, G: GPUBuffer, multiply: boolean): Dispatch {
    const kernel = this.k('scale_columns', scaleSrc, { MODE: multiply ? 1 : 0 });
    return { kernel, bindings: [this.uniform([rows * kq, kq, 0, 0]), F, G], workgroups: Math.ceil((rows * kq) / WG) };
  }

  /** Ginv = (G + ridge)⁻¹ for the leading k×k block of a 4kq × 4kq Gram matrix. */
  inverse(G: GPUBuffer, k: number, kq: number, Ginv: GPUBuffer): Dispatch {
    const kernel = this.gpu.kernel({
      name: 'nmf/inverse',
      code: inverseSrc,
      defines: { K: k, K4: 4 * kq, RIDGE: { f32: SEMI_RIDGE } },
    });
    return { kernel, bindings: [G, Ginv], workgroups: 1 };
  }

  dispose(): void {
    this.gpu.release(this.dummy, this.dummy2, ...this.uniforms.values());
    this.uniforms.clear();
  }
}
