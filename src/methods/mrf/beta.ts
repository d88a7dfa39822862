// Potts coupling beta by maximum pseudo-likelihood (Besag 1975) from a label map:
//   PL(beta) = Σ_i [beta n_i(z_i) - log Σ_k exp(beta n_i(k))],
// n_i(k) = number of neighbours of i labelled k. PL depends on a pixel only through n_i(z_i)
// and how many classes have each neighbour count, so the pixels are first binned by that
// pattern (a few hundred bins at most), then PL is maximised by safeguarded Newton steps (it is
// concave in beta). Exact at beta = 0; biased upwards near beta_c = ln(1 + sqrt K).
import { neighbourIndex, offsets, type Lattice } from './lattice.js';

export const BETA_MAX = 10;

interface Pattern {
  self: number;
  /** m[j] = number of classes with exactly j neighbours (j = 1..8). */
  m: number[];
  zeros: number;
  weight: number;
}

function patterns(labels: Uint32Array, k: number, lat: Lattice): Pattern[] {
  const offs = offsets(lat.neighbours);
  const bins = new Map<number, Pattern>();
  const cnt = new Uint8Array(k);
  for (let y = 0; y < lat.ny; y++) {
    for (let x = 0; x < lat.nx; x++) {
      if (labels[y * lat.nx + x]! >= k) continue; // left out by a pixel mask
      cnt.fill(0);
      for (const [dy, dx] of offs) {
        const q = neighbourIndex(lat, y, x, dy, dx);
        if (q >= 0 && labels[q]! < k) cnt[labels[q]!]!++;
      }
      const self = cnt[labels[y * lat.nx + x]!]!;
      const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
      for (let c = 0; c < k; c++) m[cnt[c]!]!++;
      // Key: self (0..8) and m[1..8] (each <= 8) in base 9.
      let key = self;
      for (let j = 1; j <= 8; j++) key = key * 9 + m[j]!;
      const b = bins.get(key);
      if (b) b.weight++;
      else bins.set(key, { self, m, zeros: m[0]!, weight: 1 });
    }
  }
  return [...bins.values()];
}

/** PL gradient and curvature at beta (weights scaled by e^{-8 beta} against overflow). */
function derivatives(pats: Pattern[], beta: number): { g: number; h: number } {
  let g = 0;
  let h = 0;
  for (const p of pats) {
    let z = p.zeros * Math.exp(-8 * beta);
    let e1 = 0;
    let e2 = 0;
    for (let j = 1; j <= 8; j++) {
      if (!p.m[j]) continue;
      const w = p.m[j]! * Math.exp(beta * (j - 8));
      z += w;
      e1 += w * j;
      e2 += w * j * j;
    }
    const mean = e1 / z;
    g += p.weight * (p.self - mean);
    h += p.weight * (e2 / z - mean * mean);
  }
  return { g, h };
}

/** Maximum pseudo-likelihood beta in [0, BETA_MAX] for the label map, starting from `start`.
 *  Labels >= k (pixels a pixel mask leaves out) take no part, as pixels or as neighbours. */
export function estimateBeta(labels: Uint32Array, k: number, lat: Lattice, start = 0.5): number {
  const pats = patterns(labels, k, lat);
  let lo = 0;
  let hi = BETA_MAX;
  if (derivatives(pats, lo).g <= 0) return 0;
  if (derivatives(pats, hi).g >= 0) return BETA_MAX;
  let b = Math.min(Math.max(start, lo), hi);
  for (let it = 0; it < 100; it++) {
    const { g, h } = derivatives(pats, b);
    if (g > 0) lo = b;
    else hi = b;
    let next = h > 0 ? b + g / h : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - b) < 1e-10 || hi - lo < 1e-10) return next;
    b = next;
  }
  return b;
}
