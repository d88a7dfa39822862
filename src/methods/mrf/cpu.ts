// The float64 reference of the Potts-MRF backend: the specification the WGSL kernels follow
// (kernels/mrf/*.wgsl) and the fallback without a GPU. Written to be read, not to be fast.
// Pixels a pixel mask leaves out (valid[p] = 0) hold label K (no class) throughout: they are
// never read or updated, count as absent neighbours and add to no statistic.
import { philox4x32, uniform24 } from '../../random/philox.js';
import type { BackendPurpose, ClassStats, MrfBackend, SweepPlan } from './backend.js';
import { likeFactor, statsLayout, sweepsOnly, temperature } from './backend.js';
import { colourCount, colourOf, neighbourIndex, offsets, type Lattice } from './lattice.js';
import type { PixelFeatures } from './model.js';

export class CpuMrfBackend implements MrfBackend {
  readonly npix: number;
  readonly d: number;
  private readonly loglik: Float64Array;
  /** exp(loglik[p, k] - max_c loglik[p, c]): the class weights at T = 1 (backend.ts likeFactor). */
  private readonly lik: Float64Array;
  private readonly z: Uint32Array;
  private readonly count: Uint32Array;
  private readonly block = new Uint32Array(4);

  constructor(
    private readonly x: PixelFeatures,
    readonly k: number,
    private readonly lat: Lattice,
    private readonly seed: number,
    private readonly stream: number,
    /** 1 = segment the pixel, 0 = left out (null: every pixel). */
    private readonly valid: Uint8Array | null = null,
    /** 'kmeans': no log-likelihood table, weights or counts (empty), and their methods throw. */
    readonly purpose: BackendPurpose = 'mrf',
  ) {
    this.npix = x.ny * x.nx;
    this.d = x.channels;
    const table = purpose === 'mrf' ? this.npix * k : 0;
    this.loglik = new Float64Array(table);
    this.lik = new Float64Array(table);
    this.z = new Uint32Array(this.npix);
    this.count = new Uint32Array(table);
    this.setLabels(this.z);
  }

  private masked(p: number): boolean {
    return this.valid !== null && this.valid[p] === 0;
  }

  /** log N(y_p; mu_k, s_k^2 I) without the constant -(D/2) log 2π. */
  setClassParams(means: Float64Array, variances: Float64Array): void {
    sweepsOnly(this.purpose, 'setClassParams');
    const { k, d, x } = this;
    for (let p = 0; p < this.npix; p++) {
      if (this.masked(p)) continue; // table rows of masked pixels stay 0, never read
      for (let c = 0; c < k; c++) {
        let r2 = 0;
        for (let j = 0; j < d; j++) r2 += (x.data[p * d + j]! - means[c * d + j]!) ** 2;
        this.loglik[p * k + c] = -r2 / (2 * variances[c]!) - 0.5 * d * Math.log(variances[c]!);
      }
      let m = -Infinity;
      for (let c = 0; c < k; c++) m = Math.max(m, this.loglik[p * k + c]!);
      for (let c = 0; c < k; c++) this.lik[p * k + c] = Math.exp(this.loglik[p * k + c]! - m);
    }
  }

  setZeroDataTerm(): void {
    sweepsOnly(this.purpose, 'setZeroDataTerm');
    this.loglik.fill(0);
    this.lik.fill(1);
  }

  assignNearest(means: Float64Array): void {
    const { k, d, x } = this;
    for (let p = 0; p < this.npix; p++) {
      if (this.masked(p)) continue;
      let best = 0;
      let bestR2 = Infinity;
      for (let c = 0; c < k; c++) {
        let r2 = 0;
        for (let j = 0; j < d; j++) r2 += (x.data[p * d + j]! - means[c * d + j]!) ** 2;
        if (r2 < bestR2) {
          bestR2 = r2;
          best = c;
        }
      }
      this.z[p] = best;
    }
  }

  /** Masked pixels get label K whatever `labels` holds there. */
  setLabels(labels: Uint32Array): void {
    this.z.set(labels);
    for (let p = 0; p < this.npix; p++) if (this.masked(p)) this.z[p] = this.k;
  }

  sweeps(plan: SweepPlan): void {
    sweepsOnly(this.purpose, 'sweeps');
    const { k, lat } = this;
    const offs = offsets(lat.neighbours);
    const like = new Float64Array(k);
    const w = new Float64Array(k);
    const gx = Math.ceil(lat.nx / 8);
    let blockOf = -1;
    const e1 = likeFactor(plan.beta, lat.neighbours);
    const e1Pow = Float64Array.from({ length: lat.neighbours + 1 }, (_, n) => e1 ** n);
    for (let s = plan.from; s < plan.from + plan.count; s++) {
      const invT = 1 / temperature(plan, s);
      // As the WebGPU backend: products before the annealing (T = 1), exp weights in it.
      const products = s < plan.annealStart && e1 > 0;
      blockOf = -1;
      for (let colour = 0; colour < colourCount(lat.neighbours); colour++) {
        for (let y = 0; y < lat.ny; y++) {
          for (let x = 0; x < lat.nx; x++) {
            if (colourOf(lat, y, x) !== colour) continue;
            const p = y * lat.nx + x;
            if (this.masked(p)) continue;
            like.fill(0);
            for (const [dy, dx] of offs) {
              // Off a free edge or masked (label K): no neighbour.
              const q = neighbourIndex(lat, y, x, dy, dx);
              if (q >= 0 && this.z[q]! < k) like[this.z[q]!]!++;
            }
            let total = 0;
            if (products) {
              for (let c = 0; c < k; c++) total += w[c] = this.lik[p * k + c]! * e1Pow[like[c]!]!;
            } else {
              let m = -Infinity;
              for (let c = 0; c < k; c++) {
                w[c] = (this.loglik[p * k + c]! + plan.beta * like[c]!) * invT;
                m = Math.max(m, w[c]!);
              }
              for (let c = 0; c < k; c++) total += w[c] = Math.exp(w[c]! - m);
            }
            // Pixel (y, x) takes word (x & 7) >> 1 of block (y·GX + (x >> 3), s, x & 1): the 4 pixels
            // of one colour in a row-aligned group of 8 columns share a block (as one GPU thread does).
            const counter = y * gx + (x >> 3);
            if (counter * 2 + (x & 1) !== blockOf) {
              philox4x32(counter, s, x & 1, 0, this.seed, this.stream, this.block);
              blockOf = counter * 2 + (x & 1);
            }
            const u = uniform24(this.block[(x & 7) >> 1]!) * total;
            let z = k - 1;
            let acc = 0;
            for (let c = 0; c < k; c++) {
              acc += w[c]!;
              if (u < acc) {
                z = c;
                break;
              }
            }
            this.z[p] = z;
            if (s >= plan.countFrom) this.count[p * k + z]!++;
          }
        }
      }
    }
  }

  async stats(centres: Float64Array, classesOnly = false): Promise<ClassStats> {
    if (!classesOnly) sweepsOnly(this.purpose, 'stats with the log-likelihood and like-edge sums');
    const { k, d, x, lat } = this;
    const L = statsLayout(k, d);
    const out = new Float64Array(L.length);
    const forward = offsets(lat.neighbours).slice(0, lat.neighbours / 2);
    for (let p = 0; p < this.npix; p++) {
      if (this.masked(p)) continue;
      const c = this.z[p]!;
      const o = c * L.stride;
      out[o]!++;
      let r2 = 0;
      for (let j = 0; j < d; j++) {
        const dev = x.data[p * d + j]! - centres[c * d + j]!;
        out[o + 1 + j]! += dev;
        r2 += dev * dev;
      }
      out[o + 1 + d]! += r2;
      if (classesOnly) continue;
      out[L.loglik]! += this.loglik[p * k + c]!;
      const y = Math.floor(p / lat.nx);
      const xx = p % lat.nx;
      for (const [dy, dx] of forward) {
        const q = neighbourIndex(lat, y, xx, dy, dx);
        if (q >= 0 && this.z[q] === c) out[L.likeEdges]!++;
      }
    }
    return out;
  }

  async labels(): Promise<Uint32Array> {
    return this.z.slice();
  }

  async counts(): Promise<Uint32Array> {
    sweepsOnly(this.purpose, 'counts');
    return this.count.slice();
  }

  resetCounts(): void {
    sweepsOnly(this.purpose, 'resetCounts');
    this.count.fill(0);
  }

  dispose(): void {}
}
