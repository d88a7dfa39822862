// The WebGPU Potts-MRF backend: kernels/mrf/*.wgsl through the engine. Everything per pixel
// stays on the GPU (features, log-likelihood table, labels, label counts); the host sees only
// the class sums (a few hundred KiB at most) and, when asked, the labels and counts.
// With a pixel mask, the pixels it leaves out hold label K (no class) from the start: their
// features are uploaded as zeros (NaN never reaches the GPU), and the MASKED pipelines of
// nearest.wgsl and gibbs.wgsl keep a K label as K; stats.wgsl and summary.wgsl skip label K.
import { InputError } from '../../engine/errors.js';
import type { BufferScope, Dispatch, GpuEngine, Kernel, KernelSpec } from '../../engine/index.js';
import type { BackendPurpose, ClassStats, MrfBackend, SweepPlan } from './backend.js';
import { likeFactor, statsLayout, sweepsOnly } from './backend.js';
import { colourCount, type Lattice } from './lattice.js';
import type { PixelFeatures } from './model.js';

/** Workgroup caps on a software adapter (SwiftShader pays per workgroup: fewer workgroups looping over
 * the work run faster there; same-minutes A/B at 512x512, K = 4: Gibbs 8 groups 12.7-13.3 M updates/s
 * vs 8.4-9.0 uncapped; distance kernels 64 looping groups 91-96 ms vs 164-182). A hardware GPU gets
 * one workgroup per 64 threads (no cap). */
const SOFTWARE_SWEEP_GROUPS = 8;
const SOFTWARE_DISTANCE_GROUPS = 64;
const MAX_STRIPS = 512;
/** Counted sweeps the 8-bit label counters of gibbs.wgsl (K <= 4) hold before a flush. */
const TALLY_SWEEPS = 255;

/** Log-likelihood of a padding class (classes.wgsl PAD_LOGLIK). */
const PAD_LOGLIK = -1e30;

/** Features [npix·d] with each pixel's channels zero-padded to dv·4 (no copy when d % 4 = 0
 *  and no pixel is masked); masked pixels (valid[p] = 0) all zeros. */
function padChannels(data: Float32Array, npix: number, d: number, dv: number, valid: Uint8Array | null): Float32Array {
  if (d === dv * 4 && !valid) return data;
  const out = new Float32Array(npix * dv * 4);
  for (let p = 0; p < npix; p++) if (!valid || valid[p]) out.set(data.subarray(p * d, (p + 1) * d), p * dv * 4);
  return out;
}

/** Bytes as the user reads them: MiB from 1 MiB up, else KiB (tests lower the limit to KiB). */
function sizeText(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * The features and the log-likelihood table (and the label counts, its size) each live in ONE
 * storage binding (no pixel blocks); refuses a map whose table would not fit `limit` with one line
 * naming the map, the bytes, the limit and what to do, before any GPU buffer is made. A k-means-only
 * backend makes no table: only its features are checked (its labels and class sums take at most half
 * the features' bytes from 256 pixels up, K <= 32, and a few KiB below; its centres a few KiB).
 */
export function checkBindings(x: PixelFeatures, k: number, limit: number, purpose: BackendPurpose = 'mrf'): void {
  const npix = x.ny * x.nx;
  const dv = Math.ceil(x.channels / 4);
  const ks = 4 * Math.ceil(k / 4);
  const map = `${x.ny}×${x.nx}`;
  const features = npix * dv * 16;
  if (features > limit) {
    throw new InputError(
      `mrf: the ${map} map's features (${x.channels} channels, stored as ${dv * 4} float32 per pixel) need ${sizeText(features)} in one GPU binding, over this device's limit of ${sizeText(limit)}: segment fewer channels (run 'specmap nmf' first and segment its pixel_loadings.npy), crop the map, or use --backend cpu`,
    );
  }
  if (purpose === 'kmeans') return;
  const table = npix * ks * 4;
  if (table > limit) {
    throw new InputError(
      `mrf: the ${map} map's log-likelihood table (k = ${k}, stored as ${ks} float32 per pixel) needs ${sizeText(table)} in one GPU binding, over this device's limit of ${sizeText(limit)}: use fewer classes, crop the map, or use --backend cpu`,
    );
  }
}

export class GpuMrfBackend implements MrfBackend {
  readonly npix: number;
  readonly d: number;
  /** Classes rounded up to whole vec4 (kernels/mrf/classes.wgsl): the stride of tables and counts. */
  private readonly ks: number;
  /** Channels in vec4 (features, means and centres are stored 4 channels to a vec4, zero-padded). */
  private readonly dv: number;
  private readonly strip: number;
  private readonly nstrips: number;
  private readonly bufs: Record<
    | 'data'
    | 'means'
    | 'coef'
    | 'centres'
    | 'loglik'
    | 'lik'
    | 'labels'
    | 'packed'
    | 'counts'
    | 'tally'
    | 'stepA'
    | 'stepB'
    | 'partial'
    | 'summary',
    GPUBuffer
  >;
  /** Colours of the lattice: one Gibbs dispatch each per sweep. */
  private readonly colours: number;
  /** Owns every buffer above until dispose(). */
  private readonly scope: BufferScope;
  /** The data-pass kernels, compiled on first use (k-means needs neither loglik nor summary;
   *  SwiftShader compiles slowly): the engine caches pipelines by spec. */
  private readonly specs: Record<'loglik' | 'nearest' | 'stats' | 'summary', KernelSpec>;
  /** Sweep pipelines: pack, unpack and gibbs.wgsl by PRODUCTS and COUNTS (compiled on first use). */
  private readonly sweepKernels = new Map<string, Kernel>();
  private readonly geo: Record<string, number | boolean>;
  private readonly colourThreads: number;
  /** Kernel forms with few storage-access sites (lavapipe): one pixel per distance thread, one
   *  channel quad per class-sum thread. */
  private readonly fewSites: boolean;
  private readonly packedWords: number;
  /** Counted sweeps whose draws are in the 8-bit counters (tally), not yet in counts (K <= 4). */
  private unflushed = 0;

  constructor(
    private readonly gpu: GpuEngine,
    x: PixelFeatures,
    readonly k: number,
    lat: Lattice,
    private readonly seed: number,
    private readonly stream: number,
    /** 1 = segment the pixel, 0 = left out (null: every pixel). */
    private readonly valid: Uint8Array | null = null,
    /** 'kmeans': the sweep-only buffers below are 16-byte placeholders and their methods throw. */
    readonly purpose: BackendPurpose = 'mrf',
  ) {
    this.npix = x.ny * x.nx;
    this.d = x.channels;
    this.ks = 4 * Math.ceil(k / 4);
    this.dv = Math.ceil(x.channels / 4);
    const { npix, d, ks, dv } = this;
    checkBindings(x, k, gpu.maxBindingBytes, purpose);
    const sweeping = purpose === 'mrf';
    // A multiple of 4: stats.wgsl reads the labels 4 to a vec4u.
    this.strip = 4 * Math.ceil(Math.max(256, Math.ceil(npix / MAX_STRIPS)) / 4);
    this.nstrips = Math.ceil(npix / this.strip);
    // lavapipe compiles a kernel at its first dispatch, scalarising each storage access per SIMD
    // lane: it gets the data-pass kernels' forms with few access sites (class_dist.wgsl, stats.wgsl).
    this.fewSites = gpu.adapterKind === 'lavapipe';
    const L = { K: k, DV: dv, NPIX: npix, DIST_GROUPS: this.distanceGroups(), PIXEL_BLOCKS: !this.fewSites };
    const geo = { NX: lat.nx, NY: lat.ny, NEIGHBOURS: lat.neighbours, PERIODIC: lat.periodic };
    const strips = { STRIP: this.strip, NSTRIPS: this.nstrips };
    // The class sums read the features 16 channels at a time: one mat4x4f load when DV % 4 = 0 (stats.wgsl).
    const blocks = { file: dv % 4 === 0 ? 'mrf/blocks_mat' : 'mrf/blocks_vec4' };
    this.specs = {
      loglik: { name: 'mrf/loglik', defines: L },
      nearest: { name: 'mrf/nearest', defines: { ...L, MASKED: valid !== null } },
      stats: {
        name: 'mrf/stats',
        provide: { 'mrf/blocks': blocks },
        defines: { ...L, ...strips, QUAD_THREADS: this.fewSites },
      },
      summary: { name: 'mrf/summary', defines: { K: k, NPIX: npix, ...geo, ...strips } },
    };
    this.geo = geo;
    this.colours = colourCount(lat.neighbours);
    // One thread per row and group of 8 columns (4 pixels of its colour): see gibbs.wgsl.
    const gx = Math.ceil(lat.nx / 8);
    this.colourThreads = lat.neighbours === 4 ? lat.ny * gx : Math.ceil(lat.ny / 2) * gx;
    this.packedWords = lat.ny * 2 * gx;
    // Buffers only the sweeps (and the full stats) use: a 16-byte placeholder for k-means, never bound.
    const s = (this.scope = gpu.openScope());
    const forSweeps = (contents: () => Float32Array | Uint32Array | number, label: string) =>
      sweeping ? s.storage(contents(), label) : s.storage(16, `${label} (unused: k-means only)`);
    this.bufs = {
      data: s.storage(padChannels(x.data, npix, d, dv, valid), 'mrf features'),
      means: s.storage(ks * dv * 16, 'mrf means'),
      coef: forSweeps(() => 2 * ks * 4, 'mrf coef'),
      centres: s.storage(k * dv * 16, 'mrf centres'),
      loglik: forSweeps(() => this.zeroTable(), 'mrf loglik'),
      // exp(loglik - max) for the sweeps at T = 1 (K <= 4 only; otherwise the binding is bound but unused).
      lik: forSweeps(() => (k <= 4 ? this.zeroLik() : new Float32Array(4)), 'mrf likelihood weights'),
      // Padded to whole vec4 (stats.wgsl reads 4 labels at a time; the padding is never a pixel).
      labels: s.storage(this.withMask(new Uint32Array(4 * Math.ceil(npix / 4))), 'mrf labels'),
      packed: forSweeps(() => this.packedWords * 4, 'mrf packed labels'),
      counts: forSweeps(() => new Uint32Array(npix * ks), 'mrf counts'),
      // K <= 4: 16 8-bit label counters per packed word (gibbs.wgsl, counts_flush.wgsl); else unused.
      tally: forSweeps(() => new Uint32Array(k <= 4 ? this.packedWords * 4 : 4), 'mrf label tally'),
      stepA: forSweeps(() => new Uint32Array(4), 'mrf step A'),
      stepB: forSweeps(() => new Uint32Array(4), 'mrf step B'),
      partial: s.storage(this.nstrips * dv * k * 2 * 16, 'mrf partial sums'),
      summary: forSweeps(() => this.nstrips * 16, 'mrf strip summaries'),
    };
  }

  private get wg(): number {
    return this.gpu.workgroupSize;
  }

  private pixelGroups(): number {
    return Math.ceil(this.npix / this.wg);
  }

  /** Workgroups of the class-distance kernels (nearest, loglik): for K <= 4 at most 64, looping
   *  over blocks of 16 pixels per thread (class_dist.wgsl PIX, DIST_GROUPS); else a pixel per thread. */
  /** Workgroups of a sweep dispatch, striding over the colour's threads (gibbs.wgsl SWEEP_GROUPS). */
  private sweepGroups(): number {
    const all = Math.ceil(this.colourThreads / this.wg);
    return this.gpu.isSoftware ? Math.min(SOFTWARE_SWEEP_GROUPS, all) : all;
  }

  private distanceGroups(): number {
    if (this.k > 4 || this.fewSites) return Math.ceil(this.npix / this.wg);
    const all = Math.ceil(this.npix / (this.wg * 16));
    return this.gpu.isSoftware ? Math.min(SOFTWARE_DISTANCE_GROUPS, all) : all;
  }

  /** A log-likelihood table of zeros for the K classes and PAD_LOGLIK for the padding. */
  private zeroTable(): Float32Array {
    const t = new Float32Array(this.npix * this.ks);
    if (this.ks > this.k)
      for (let p = 0; p < this.npix; p++) t.fill(PAD_LOGLIK, p * this.ks + this.k, (p + 1) * this.ks);
    return t;
  }

  /** Likelihood weights with no data term: 1 for the K classes, 0 for the padding (K <= 4). */
  private zeroLik(): Float32Array {
    const t = new Float32Array(this.npix * 4);
    for (let p = 0; p < this.npix; p++) t.fill(1, p * 4, p * 4 + this.k);
    return t;
  }

  /** Class vectors [K·D] to the kernels' layout: per class DV vec4 of 4 channels, zero-padded,
   * with `classes` (>= K) classes. */
  private writeClassVectors(buf: GPUBuffer, v: Float64Array, classes: number): void {
    const { k, d, dv } = this;
    const t = new Float32Array(classes * dv * 4);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) t[c * dv * 4 + j] = v[c * d + j]!;
    this.gpu.write(buf, t);
  }

  /** Means [K·D] to class_dist.wgsl's layout: per channel quad j, KV mat4x4f of 4 classes each
   *  (column c & 3 of mat j · KV + (c >> 2) = class c's channels 4j .. 4j+3), zero-padded. */
  private writeMeans(means: Float64Array): void {
    const { k, d, ks, dv } = this;
    const t = new Float32Array(ks * dv * 4);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) t[((j >> 2) * ks + c) * 4 + (j & 3)] = means[c * d + j]!;
    this.gpu.write(this.bufs.means, t);
  }

  setClassParams(means: Float64Array, variances: Float64Array): void {
    sweepsOnly(this.purpose, 'setClassParams');
    const { k, d } = this;
    // coef[8v .. 8v+3]: scales of classes 4v..4v+3; coef[8v+4 .. 8v+7]: their offsets.
    const coef = new Float32Array(2 * this.ks);
    for (let c = 0; c < this.ks; c++) {
      const at = 8 * (c >> 2) + (c & 3);
      coef[at] = c < k ? -1 / (2 * variances[c]!) : 0;
      coef[at + 4] = c < k ? -0.5 * d * Math.log(variances[c]!) : PAD_LOGLIK;
    }
    this.writeMeans(means);
    this.gpu.write(this.bufs.coef, coef);
    const b = this.bufs;
    const bufs = { data: b.data, means: b.means, coef: b.coef, loglik: b.loglik, lik: b.lik };
    this.gpu.submit([this.gpu.kernel(this.specs.loglik).dispatch(bufs, {}, this.distanceGroups())]);
  }

  setZeroDataTerm(): void {
    sweepsOnly(this.purpose, 'setZeroDataTerm');
    this.gpu.write(this.bufs.loglik, this.zeroTable());
    if (this.k <= 4) this.gpu.write(this.bufs.lik, this.zeroLik());
  }

  assignNearest(means: Float64Array): void {
    this.writeMeans(means);
    const b = this.bufs;
    const bufs = { data: b.data, means: b.means, labels: b.labels };
    this.gpu.submit([this.gpu.kernel(this.specs.nearest).dispatch(bufs, {}, this.distanceGroups())]);
  }

  setLabels(labels: Uint32Array): void {
    this.gpu.write(this.bufs.labels, this.valid ? this.withMask(Uint32Array.from(labels)) : labels);
  }

  /** `labels` with K at the masked pixels (in place). */
  private withMask(labels: Uint32Array): Uint32Array {
    if (this.valid) for (let p = 0; p < this.npix; p++) if (!this.valid[p]) labels[p] = this.k;
    return labels;
  }

  sweeps(plan: SweepPlan): void {
    sweepsOnly(this.purpose, 'sweeps');
    if (plan.count <= 0) return;
    const b = this.bufs;
    // gibbs.wgsl struct Sweep, one per colour.
    const e1 = likeFactor(plan.beta, this.geo.NEIGHBOURS as number);
    const sweep = {
      beta: plan.beta,
      decay: plan.decay,
      tMin: plan.tMin,
      annealStart: Math.min(plan.annealStart, 0xffffffff),
      seed: this.seed,
      stream: this.stream,
      e1,
    };
    const perColour = Array.from({ length: this.colours }, (_, colour) => ({ sw: { ...sweep, colour } }));
    // The sweep index lives on the GPU: sweep s reads step[s & 1] and writes s + 1 to the other.
    const step = [b.stepA, b.stepB];
    this.gpu.write(step[plan.from & 1]!, Uint32Array.of(plan.from, 0, 0, 0));
    const groups = this.sweepGroups();
    const { labels, packed } = b;
    // Labels packed for the sweeps and unpacked after them, in the same submit (packed.wgsl).
    const dispatches: Dispatch[] = [
      this.sweepKernel('pack').dispatch({ labels, packed }, {}, Math.ceil(this.packedWords / this.wg)),
    ];
    for (let s = plan.from; s < plan.from + plan.count; s++) {
      const counted = s >= plan.countFrom;
      // K <= 4 counts in 8-bit counters: emptied into counts before one could pass 255.
      if (counted && this.k <= 4 && this.unflushed === TALLY_SWEEPS) {
        dispatches.push(this.flushDispatch());
        this.unflushed = 0;
      }
      // Sweeps at T = 1 weigh classes by products (backend.ts likeFactor); annealing by exp.
      const kernel = this.sweepKernel('main', this.k <= 4 && e1 > 0 && s < plan.annealStart, counted);
      const bufs = {
        loglik: b.loglik,
        packed,
        counts: b.counts,
        stepIn: step[s & 1]!,
        stepOut: step[(s + 1) & 1]!,
        lik: b.lik,
        tally: b.tally,
      };
      for (const uniforms of perColour) dispatches.push(kernel.dispatch(bufs, uniforms, groups));
      if (counted && this.k <= 4) this.unflushed++;
    }
    dispatches.push(this.sweepKernel('unpack').dispatch({ labels, packed }, {}, this.pixelGroups()));
    this.gpu.submit(dispatches);
  }

  /** counts_flush.wgsl: the 8-bit label counters added into counts and zeroed (K <= 4). */
  private flushDispatch(): Dispatch {
    const kernel = this.gpu.kernel({ name: 'mrf/counts_flush', defines: { NX: this.geo.NX!, NY: this.geo.NY! } });
    const { tally, counts } = this.bufs;
    return kernel.dispatch({ tally, counts }, {}, Math.ceil(this.packedWords / this.wg));
  }

  /** packed.wgsl's pack or unpack, or the Gibbs colour update ('main') of one kind; compiled on
   * first use (k-means needs no sweeps; SwiftShader compiles slowly). */
  private sweepKernel(entry: 'pack' | 'unpack' | 'main', products = false, counts = false): Kernel {
    const key = `${entry} ${products} ${counts}`;
    let kernel = this.sweepKernels.get(key);
    if (!kernel) {
      const defines = { K: this.k, ...this.geo };
      kernel =
        entry === 'main'
          ? this.gpu.kernel({
              name: 'mrf/gibbs',
              defines: {
                ...defines,
                PRODUCTS: products,
                COUNTS: counts,
                MASKED: this.valid !== null,
                THREADS: this.colourThreads,
                SWEEP_GROUPS: this.sweepGroups(),
              },
            })
          : this.gpu.kernel({ name: 'mrf/packed', defines, entry });
      this.sweepKernels.set(key, kernel);
    }
    return kernel;
  }

  async stats(centres: Float64Array, classesOnly = false): Promise<ClassStats> {
    if (!classesOnly) sweepsOnly(this.purpose, 'stats with the log-likelihood and like-edge sums');
    const { k, d, dv, nstrips } = this;
    const b = this.bufs;
    this.writeClassVectors(b.centres, centres, k);
    const dispatches: Dispatch[] = [
      this.gpu
        .kernel(this.specs.stats)
        .dispatch(
          { data: b.data, means: b.centres, labels4: b.labels, partial: b.partial },
          {},
          Math.ceil((nstrips * (this.fewSites ? dv : Math.ceil(dv / 4))) / this.wg),
        ),
    ];
    if (!classesOnly)
      dispatches.push(
        this.gpu
          .kernel(this.specs.summary)
          .dispatch({ loglik: b.loglik, labels: b.labels, out: b.summary }, {}, Math.ceil(nstrips / this.wg)),
      );
    this.gpu.submit(dispatches);
    const part = await this.gpu.readF32(b.partial, nstrips * dv * k * 8);
    const L = statsLayout(k, d);
    const out = new Float64Array(L.length);
    // part: vec4 [((strip · DV + jv) · K + c) · 2 + {0: Σ e, 1: (Σ ||e||², n, 0, 0)}] over
    // channels 4jv..4jv+3 (stats.wgsl); the count is every quad's, taken from quad 0.
    for (let s = 0; s < nstrips; s++) {
      for (let jv = 0; jv < dv; jv++) {
        for (let c = 0; c < k; c++) {
          const o = c * L.stride;
          const at = ((s * dv + jv) * k + c) * 8;
          for (let j = 4 * jv; j < Math.min(d, 4 * jv + 4); j++) out[o + 1 + j]! += part[at + (j & 3)]!;
          out[o + 1 + d]! += part[at + 4]!;
          if (jv === 0) out[o]! += part[at + 5]!;
        }
      }
    }
    if (!classesOnly) {
      // summ: vec4 [strip] = (loglik sum, like edges, 0, 0) (summary.wgsl).
      const summ = await this.gpu.readF32(b.summary, nstrips * 4);
      for (let s = 0; s < nstrips; s++) {
        out[L.loglik]! += summ[s * 4]!;
        out[L.likeEdges]! += summ[s * 4 + 1]!;
      }
    }
    return out;
  }

  async labels(): Promise<Uint32Array> {
    return this.gpu.readU32(this.bufs.labels, this.npix);
  }

  async counts(): Promise<Uint32Array> {
    sweepsOnly(this.purpose, 'counts');
    const { k, ks, npix } = this;
    if (this.unflushed > 0) {
      this.gpu.submit([this.flushDispatch()]);
      this.unflushed = 0;
    }
    const raw = await this.gpu.readU32(this.bufs.counts, npix * ks);
    if (ks === k) return raw;
    const out = new Uint32Array(npix * k);
    for (let p = 0; p < npix; p++) out.set(raw.subarray(p * ks, p * ks + k), p * k);
    return out;
  }

  resetCounts(): void {
    sweepsOnly(this.purpose, 'resetCounts');
    this.gpu.write(this.bufs.counts, new Uint32Array(this.npix * this.ks));
    if (this.unflushed > 0) this.gpu.write(this.bufs.tally, new Uint32Array(this.packedWords * 4));
    this.unflushed = 0;
  }

  dispose(): void {
    this.scope.close();
  }
}
