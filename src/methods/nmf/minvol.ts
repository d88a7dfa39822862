// Minimum-volume NMF (Leplat, Gillis & Ang 2019/2020), the host part both backends share: the
// k × k algebra of every iteration. The problem, with X ≈ W H (W maps n×k, H spectra k×m):
//   min ½‖X − WH‖² + (λ/2) log det(HHᵀ + δI)  [+ (ρ²/2)‖W·1 − 1‖² with closure]   W, H ≥ 0.
// Each iteration majorises log det by its tangent at the current H, Y = (HHᵀ + δI)⁻¹, so the H
// step is a non-negative least-squares problem with Gram matrix WᵀW + λY, solved by one HALS
// sweep; the W step is plain HALS, or with closure (abundances summing to one, MCR-ALS's closure)
// HALS on the penalty ρ²/2‖W·1 − 1‖², i.e. Gram HHᵀ + ρ²·11ᵀ and numerator XHᵀ + ρ². Without
// closure the spectra are rescaled to unit norm after each iteration (the maps absorb the scale)
// so that the volume cannot shrink by moving scale into the maps.
// δ and λ are fixed at the start, as Leplat et al. do: δ = δ̃·(mean diagonal of HHᵀ), and
// λ = λ̃·‖X − W₀H₀‖² / |log det(H₀H₀ᵀ + δI)|, so λ̃ weighs the volume against the start's error.
import { invertGram } from './cpu.js';
import type { ResolvedNmf } from './model.js';

/** Weight ρ² of the closure penalty, relative to the mean diagonal of HHᵀ. */
export const CLOSURE_WEIGHT = 1;

export interface MinvolWeights {
  delta: number;
  lambda: number;
}

/** log det of a symmetric positive-definite k × k matrix (Cholesky); −Infinity if it is not. */
export function logDetSpd(A: Float64Array, k: number): number {
  const L = new Float64Array(k * k);
  let logdet = 0;
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]!;
    for (let p = 0; p < j; p++) d -= L[j * k + p]! ** 2;
    if (!(d > 0)) return -Infinity;
    const ljj = Math.sqrt(d);
    L[j * k + j] = ljj;
    logdet += 2 * Math.log(ljj);
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j]!;
      for (let p = 0; p < j; p++) s -= L[i * k + p]! * L[j * k + p]!;
      L[i * k + j] = s / ljj;
    }
  }
  return logdet;
}

function meanDiagonal(G: Float64Array, k: number): number {
  let s = 0;
  for (let t = 0; t < k; t++) s += G[t * k + t]!;
  return s / k;
}

function plusDelta(G: Float64Array, k: number, delta: number): Float64Array {
  const A = Float64Array.from(G);
  for (let t = 0; t < k; t++) A[t * k + t] += delta;
  return A;
}

/** δ and λ from the start: HHᵀ of the start spectra and its squared fit error ‖X − W₀H₀‖². */
export function minvolWeights(HHt0: Float64Array, k: number, squaredError0: number, s: ResolvedNmf): MinvolWeights {
  const delta = s.minvolDelta * meanDiagonal(HHt0, k);
  const logdet = logDetSpd(plusDelta(HHt0, k, delta), k);
  const lambda = (s.minvolLambda * squaredError0) / Math.max(Math.abs(logdet), 1e-3);
  return { delta, lambda };
}

/** The k × k matrices of one iteration from HHᵀ at its start: the W step's Gram matrix and the
 * amount subtracted from its penalty vector (closure), and λY for the H step. */
export function minvolStep(
  HHt: Float64Array,
  k: number,
  w: MinvolWeights,
  closure: boolean,
): { GW: Float64Array; closureShift: number; lambdaY: Float64Array } {
  const Y = invertGram(plusDelta(HHt, k, w.delta), k, 0);
  const lambdaY = Y.map((v) => w.lambda * v);
  if (!closure) return { GW: Float64Array.from(HHt), closureShift: 0, lambdaY };
  const rho2 = CLOSURE_WEIGHT * meanDiagonal(HHt, k);
  return { GW: HHt.map((v) => v + rho2), closureShift: rho2, lambdaY };
}

/** The volume term in the units of the squared error: λ(log det(HHᵀ + δI) − k log δ) ≥ 0. */
export function volumePenalty(HHt: Float64Array, k: number, w: MinvolWeights): number {
  return w.lambda * (logDetSpd(plusDelta(HHt, k, w.delta), k) - k * Math.log(w.delta));
}
