// The WebGPU Potts-MRF backend: kernels/mrf/*.wgsl through the engine. Everything per pixel
// stays on the GPU (features, log-likelihood table, labels, label counts); the host sees only
// the class sums (a few hundred KiB at most) and, when asked, the labels and counts.
import classDistSrc from '../../../kernels/mrf/class_dist.wgsl';
import gibbsSrc from '../../../kernels/mrf/gibbs.wgsl';
import latticeSrc from '../../../kernels/mrf/lattice.wgsl';
import loglikSrc from '../../../kernels/mrf/loglik.wgsl';
import nearestSrc from '../../../kernels/mrf/nearest.wgsl';
import statsSrc from '../../../kernels/mrf/stats.wgsl';
import indexSrc from '../../../kernels/lib/index.wgsl';
import rngSrc from '../../../kernels/lib/rng.wgsl';
import { InputError } from '../../engine/errors.js';
import type { Dispatch, GpuEngine } from '../../engine/index.js';
import type { ClassStats, MrfBackend, SweepPlan } from './backend.js';
import { statsLayout } from './backend.js';
import { colourCount, type Lattice } from './lattice.js';
import type { PixelFeatures } from './model.js';

const WG = 64;
const MAX_STRIPS = 512;

const libIndex = { name: 'lib/index', code: indexSrc };
const libRng = { name: 'lib/rng', code: rngSrc };
const libDist = { name: 'mrf/class_dist', code: classDistSrc };
const libLattice = { name: 'mrf/lattice', code: latticeSrc };

export class GpuMrfBackend implements MrfBackend {
  readonly npix: number;
  readonly d: number;
  private readonly strip: number;
  private readonly nstrips: number;
  private readonly bufs: Record<'data' | 'means' | 'coef' | 'centres' | 'loglik' | 'labels' | 'counts' | 'stepA' | 'stepB' | 'sweep' | 'partial', GPUBuffer>;
  private readonly k_loglik: GPUComputePipeline;
  private readonly k_nearest: GPUComputePipeline;
  private readonly k_stats: GPUComputePipeline;
  private readonly k_gibbs: GPUComputePipeline[];
  private readonly colourThreads: number;

  constructor(
    private readonly gpu: GpuEngine,
    x: PixelFeatures,
    readonly k: number,
    lat: Lattice,
    private readonly seed: number,
    private readonly stream: number,
  ) {
    this.npix = x.ny * x.nx;
    this.d = x.channels;
    const { npix, d } = this;
    const limit = gpu.maxBindingBytes;
    for (const [what, bytes] of [['features', npix * d * 4], ['log-likelihood table', npix * k * 4]] as const) {
      if (bytes > limit) {
        throw new InputError(`mrf: the ${what} of ${npix} pixels needs ${(bytes / 2 ** 20).toFixed(0)} MiB in one GPU binding, over the device's ${(limit / 2 ** 20).toFixed(0)} MiB: pass fewer features (e.g. NMF loadings), fewer classes, or use --backend cpu`);
      }
    }
    this.strip = Math.max(256, Math.ceil(npix / MAX_STRIPS));
    this.nstrips = Math.ceil(npix / this.strip);
    const L = { K: k, D: d, NPIX: npix };
    const geo = { NX: lat.nx, NY: lat.ny, NEIGHBOURS: lat.neighbours, PERIODIC: lat.periodic };
    this.k_loglik = gpu.kernel({ name: 'mrf/loglik', code: loglikSrc, libs: [libIndex, libDist], defines: L });
    this.k_nearest = gpu.kernel({ name: 'mrf/nearest', code: nearestSrc, libs: [libIndex, libDist], defines: L });
    this.k_stats = gpu.kernel({ name: 'mrf/stats', code: statsSrc, libs: [libIndex, libLattice], defines: { ...L, ...geo, STRIP: this.strip, NSTRIPS: this.nstrips } });
    this.k_gibbs = Array.from({ length: colourCount(lat.neighbours) }, (_, c) =>
      gpu.kernel({ name: 'mrf/gibbs', code: gibbsSrc, libs: [libIndex, libRng, libLattice], defines: { K: k, ...geo, COLOUR: c } }),
    );
    // One thread per row and group of 8 columns (4 pixels of its colour): see gibbs.wgsl.
    const gx = Math.ceil(lat.nx / 8);
    this.colourThreads = lat.neighbours === 4 ? lat.ny * gx : Math.ceil(lat.ny / 2) * gx;
    this.bufs = {
      data: gpu.storage(x.data, 'mrf features'),
      means: gpu.storage(k * d * 4, 'mrf means'),
      coef: gpu.storage(2 * k * 4, 'mrf coef'),
      centres: gpu.storage(k * d * 4, 'mrf centres'),
      loglik: gpu.storage(new Float32Array(npix * k), 'mrf loglik'),
      labels: gpu.storage(new Uint32Array(npix), 'mrf labels'),
      counts: gpu.storage(new Uint32Array(npix * k), 'mrf counts'),
      stepA: gpu.storage(new Uint32Array(4), 'mrf step A'),
      stepB: gpu.storage(new Uint32Array(4), 'mrf step B'),
      sweep: gpu.uniform(new Uint32Array(8), 'mrf sweep'),
      partial: gpu.storage(this.nstrips * (d + 3) * 2 * k * 4, 'mrf partial sums'),
    };
  }

  private pixelGroups(): number {
    return Math.ceil(this.npix / WG);
  }

  setClassParams(means: Float64Array, variances: Float64Array): void {
    const { k, d } = this;
    const coef = new Float32Array(2 * k);
    for (let c = 0; c < k; c++) {
      coef[2 * c] = -1 / (2 * variances[c]!);
      coef[2 * c + 1] = -0.5 * d * Math.log(variances[c]!);
    }
    this.gpu.write(this.bufs.means, Float32Array.from(means));
    this.gpu.write(this.bufs.coef, coef);
    const b = this.bufs;
    this.gpu.submit([{ kernel: this.k_loglik, bindings: [b.data, b.means, b.coef, b.loglik], workgroups: this.pixelGroups() }]);
  }

  setZeroDataTerm(): void {
    this.gpu.write(this.bufs.loglik, new Float32Array(this.npix * this.k));
  }

  assignNearest(means: Float64Array): void {
    this.gpu.write(this.bufs.means, Float32Array.from(means));
    const b = this.bufs;
    this.gpu.submit([{ kernel: this.k_nearest, bindings: [b.data, b.means, b.labels], workgroups: this.pixelGroups() }]);
  }

  setLabels(labels: Uint32Array): void {
    this.gpu.write(this.bufs.labels, labels);
  }

  sweeps(plan: SweepPlan): void {
    if (plan.count <= 0) return;
    const b = this.bufs;
    const u = new ArrayBuffer(32);
    const f = new Float32Array(u);
    const w = new Uint32Array(u);
    f[0] = plan.beta;
    f[1] = plan.decay;
    f[2] = plan.tMin;
    w[3] = Math.min(plan.annealStart, 0xffffffff);
    w[4] = Math.min(plan.countFrom, 0xffffffff);
    w[5] = this.seed;
    w[6] = this.stream;
    this.gpu.write(b.sweep, u);
    // The sweep index lives on the GPU: sweep s reads step[s & 1] and writes s + 1 to the other.
    const step = [b.stepA, b.stepB];
    this.gpu.write(step[plan.from & 1]!, Uint32Array.of(plan.from, 0, 0, 0));
    const groups = Math.ceil(this.colourThreads / WG);
    const dispatches: Dispatch[] = [];
    for (let s = plan.from; s < plan.from + plan.count; s++) {
      for (const kernel of this.k_gibbs) {
        dispatches.push({ kernel, bindings: [b.sweep, b.loglik, b.labels, b.counts, step[s & 1]!, step[(s + 1) & 1]!], workgroups: groups });
      }
    }
    this.gpu.submit(dispatches);
  }

  async stats(centres: Float64Array): Promise<ClassStats> {
    const { k, d } = this;
    const b = this.bufs;
    this.gpu.write(b.centres, Float32Array.from(centres));
    const nslot = d + 3;
    this.gpu.submit([{ kernel: this.k_stats, bindings: [b.data, b.centres, b.loglik, b.labels, b.partial], workgroups: Math.ceil((this.nstrips * nslot) / WG) }]);
    const part = await this.gpu.readF32(b.partial, this.nstrips * nslot * 2 * k);
    const L = statsLayout(k, d);
    const out = new Float64Array(L.length);
    // partial[((strip · nslot + slot) · 2 + {sum, sq}) · K + class]: see stats.wgsl.
    const at = (s: number, slot: number, sq: number, c: number) => part[((s * nslot + slot) * 2 + sq) * k + c]!;
    for (let s = 0; s < this.nstrips; s++) {
      for (let c = 0; c < k; c++) {
        const o = c * L.stride;
        for (let j = 0; j < d; j++) {
          out[o + 1 + j]! += at(s, j, 0, c);
          out[o + 1 + d]! += at(s, j, 1, c);
        }
        out[o]! += at(s, d, 0, c);
      }
      out[L.loglik]! += at(s, d + 1, 0, 0);
      out[L.likeEdges]! += at(s, d + 2, 0, 0);
    }
    return out;
  }

  async labels(): Promise<Uint32Array> {
    return this.gpu.readU32(this.bufs.labels, this.npix);
  }

  async counts(): Promise<Uint32Array> {
    return this.gpu.readU32(this.bufs.counts, this.npix * this.k);
  }

  resetCounts(): void {
    this.gpu.write(this.bufs.counts, new Uint32Array(this.npix * this.k));
  }

  dispose(): void {
    this.gpu.release(...Object.values(this.bufs));
  }
}
