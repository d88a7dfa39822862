// NMF parity: the WebGPU path (float32) against the CPU reference (float64) on fresh random inputs,
// for the shared products and for every variant through the shared driver. Browser-safe.
import type { ParityCase } from './types.js';
import { check, freshSeed } from './types.js';
import { PhiloxStream } from '../../src/random/index.js';
import { CpuNmfBackend } from '../../src/methods/nmf/cpu.js';
import { GpuNmfBackend } from '../../src/methods/nmf/gpu.js';
import { factorise } from '../../src/methods/nmf/driver.js';
import { resolveNmf, NMF_METHODS, type NmfMethod } from '../../src/methods/nmf/model.js';
import { randomizedSvd } from '../../src/methods/nmf/randomized-svd.js';

/** Stated tolerances. Products: max |gpu − cpu| / max |cpu|. Factorisations after ITERS iterations
 * from the same start: relative difference of the final error, and max |ΔWH| / max |WH|. */
export const NMF_PARITY = { product: 2e-5, error: 2e-5, reconstruction: 1e-4, iterations: 30 };

/** Every random choice of a case (sizes, data, the start) from one fresh seed, named on failure. */
function draws(seed = freshSeed()) {
  const rng = new PhiloxStream(seed, 2);
  const unit = () => rng.uniformDouble();
  return { seed, unit, int: (lo: number, hi: number) => lo + rng.int(hi - lo + 1) };
}
type Draws = ReturnType<typeof draws>;

/** A random non-negative rank-k matrix plus noise (n × m), or its mean-centred version (signed). */
function randomData(r: Draws, n: number, m: number, k: number, signed: boolean): Float32Array {
  const W = Float64Array.from({ length: n * k }, () => (r.unit() < 0.3 ? 0 : r.unit()));
  const H = Float64Array.from({ length: k * m }, () => (r.unit() < 0.3 ? 0 : r.unit()));
  const X = new Float32Array(n * m);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < m; c++) {
      let v = 0.02 * r.unit();
      for (let t = 0; t < k; t++) v += W[i * k + t]! * H[t * m + c]!;
      X[i * m + c] = v;
    }
  if (signed) {
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[i * m + c]!;
      for (let i = 0; i < n; i++) X[i * m + c] -= s / n;
    }
  }
  return X;
}

function relMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / Math.max(s, 1e-30);
}

function product(W: Float64Array, H: Float64Array, n: number, m: number, k: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) for (let c = 0; c < m; c++) out[i * m + c] += W[i * k + t]! * H[t * m + c]!;
  return out;
}

function variantCase(method: NmfMethod): ParityCase {
  return {
    name: `nmf ${method}: ${NMF_PARITY.iterations} iterations on the GPU match the float64 reference`,
    async run(engine) {
      const gpu = engine.gpu!;
      const r = draws();
      const n = r.int(150, 400);
      const m = r.int(21, 47);
      // hals_rows.wgsl keeps the row in registers for k <= 8 and re-reads it beyond: hals covers the
      // second path, so/ard/semi (which use it too) the first.
      const k = method === 'hals' ? r.int(9, 10) : ['so', 'ard', 'semi'].includes(method) ? r.int(2, 8) : r.int(2, 10);
      const X = randomData(r, n, m, k, method === 'semi');
      // minvol: with and without closure (abundances summing to one), drawn.
      const closure = method === 'minvol' && r.unit() < 0.5;
      // Two row blocks of X on the GPU, so the block path is always exercised.
      const maxBlockBytes = Math.ceil(n / 2) * Math.ceil(m / 4) * 16;
      const s = resolveNmf(
        {
          k,
          method,
          maxIterations: NMF_PARITY.iterations,
          tol: 0,
          init: 'random',
          seed: r.seed,
          pruneShare: 0,
          closure,
        },
        n,
        m,
      );
      const gb = new GpuNmfBackend(gpu, X, n, m, { maxBlockBytes });
      const cb = new CpuNmfBackend(X, n, m);
      try {
        const at = `(n=${n}, m=${m}, k=${k}${closure ? ', closure' : ''}; seed ${r.seed})`;
        check(gb.blocks.length >= 2, `${at}: expected >= 2 row blocks, got ${gb.blocks.length}`);
        const g = (await factorise(gb, s)).best;
        const c = (await factorise(cb, s)).best;
        check(g.k === c.k, `${method} ${at}: GPU kept ${g.k} components, CPU ${c.k}`);
        const de = Math.abs(g.error - c.error) / c.error;
        check(
          de <= NMF_PARITY.error,
          `${method} ${at}: final error GPU ${g.error} vs CPU ${c.error}, relative difference ${de.toExponential(2)} > ${NMF_PARITY.error}`,
        );
        const dr = relMax(product(g.W, g.H, n, m, g.k), product(c.W, c.H, n, m, c.k));
        check(
          dr <= NMF_PARITY.reconstruction,
          `${method} ${at}: max |ΔWH| / max |WH| = ${dr.toExponential(2)} > ${NMF_PARITY.reconstruction}`,
        );
        for (let i = 0; i < g.loss.length; i++) {
          const dl = Math.abs(g.loss[i]! - c.loss[i]!) / c.loss[0]!;
          check(
            dl <= NMF_PARITY.error,
            `${method} ${at}: loss curve differs at check ${i}: ${g.loss[i]} vs ${c.loss[i]}`,
          );
        }
      } finally {
        gb.dispose();
      }
    },
  };
}

export const cases: ParityCase[] = [
  {
    name: 'nmf products: Gram XᵀX, column sums, X·V, XᵀU and the randomized SVD over row blocks match the float64 reference',
    async run(engine) {
      const gpu = engine.gpu!;
      const r = draws();
      const n = r.int(200, 700);
      const m = r.int(13, 70);
      const k = r.int(1, 9);
      const X = Float32Array.from({ length: n * m }, () => r.unit());
      const V = Float64Array.from({ length: m * k }, () => r.unit() - 0.5);
      const gb = new GpuNmfBackend(gpu, X, n, m, { maxBlockBytes: Math.ceil(n / 3) * Math.ceil(m / 4) * 16 });
      const cb = new CpuNmfBackend(X, n, m);
      try {
        const at = `(n=${n}, m=${m}, k=${k}; seed ${r.seed})`;
        check(gb.blocks.length >= 3, `${at}: expected >= 3 row blocks, got ${gb.blocks.length}`);
        const dg = relMax(await gb.gram(), await cb.gram());
        check(
          dg <= NMF_PARITY.product,
          `Gram ${at}: relative max difference ${dg.toExponential(2)} > ${NMF_PARITY.product}`,
        );
        const ds = relMax(await gb.columnSums(), await cb.columnSums());
        check(
          ds <= NMF_PARITY.product,
          `column sums ${at}: relative max difference ${ds.toExponential(2)} > ${NMF_PARITY.product}`,
        );
        const dp = relMax(await gb.project(V, k), await cb.project(V, k));
        check(
          dp <= NMF_PARITY.product,
          `X·V ${at}: relative max difference ${dp.toExponential(2)} > ${NMF_PARITY.product}`,
        );
        const U = Float64Array.from({ length: n * k }, () => r.unit() - 0.5);
        const dt = relMax(await gb.projectT(U, k), await cb.projectT(U, k));
        check(
          dt <= NMF_PARITY.product,
          `XᵀU ${at}: relative max difference ${dt.toExponential(2)} > ${NMF_PARITY.product}`,
        );
        // The randomized SVD of the NNDSVD start through either backend's products: the same
        // leading singular values (a uniform random matrix has a clear first one; the rest are
        // close together, so only the first is compared tightly).
        const kk = Math.min(k, 3);
        const sg = await randomizedSvd(gb, n, m, kk, { seed: 3 });
        const sc = await randomizedSvd(cb, n, m, kk, { seed: 3 });
        const d0 = Math.abs(sg.S[0]! - sc.S[0]!) / sc.S[0]!;
        check(
          d0 <= NMF_PARITY.product,
          `randomized SVD ${at}: first singular value differs by ${d0.toExponential(2)} (relative) > ${NMF_PARITY.product}`,
        );
      } finally {
        gb.dispose();
      }
    },
  },
  ...NMF_METHODS.map(variantCase),
];
