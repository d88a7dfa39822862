// The WebGPU backend of replica-exchange Monte Carlo: kernels/bayes/remc.wgsl advances every group
// of a batch by many sweeps per dispatch; only the state, counters, sums and thinned samples are
// read back, once, at the end.
import type { BufferScope, GpuEngine, Kernel } from '../../engine/index.js';
import type { RemcBackend, RemcRun } from './backend.js';
import type { RemcBatch, RemcState } from './batch.js';
import { ADAPT_WINDOW, RNG_MOVE, RNG_SWAP } from './layout.js';

export function remcKernel(gpu: GpuEngine, b: RemcBatch): Kernel {
  const ly = b.layout;
  return gpu.kernel({
    name: 'bayes/remc',
    defines: {
      REPLICAS: ly.L,
      P: ly.P,
      K: b.K,
      NCH: b.n,
      CHAINS: b.chains,
      BACKGROUND: b.background,
      NSAMP: ly.S,
      ADAPT: ADAPT_WINDOW,
      RNG_MOVE,
      RNG_SWAP,
      F_THETA: ly.fTheta,
      F_STEP: ly.fStep,
      F_SS: ly.fSs,
      F_STRIDE: ly.fStride,
      U_PERM: ly.uPerm,
      U_DIR: ly.uDir,
      U_TRIPS: ly.uTrips,
      U_WIN: ly.uWin,
      U_ACC: ly.uAcc,
      U_EXCH: ly.uExch,
      U_STRIDE: ly.uStride,
      A_LSE: ly.aLse,
      A_ESUM: ly.aEsum,
      A_MOM: ly.aMom,
      A_STRIDE: ly.aStride,
      S_STRIDE: ly.sStride,
    },
  });
}

export class GpuRemcBackend implements RemcBackend {
  readonly name = 'webgpu';
  constructor(private readonly gpu: GpuEngine) {}

  start(b: RemcBatch, init: RemcState): RemcRun {
    const gpu = this.gpu;
    const kernel = remcKernel(gpu, b);
    const scope: BufferScope = gpu.openScope();
    const consts = new Float32Array(b.layout.L + b.layout.P + b.spectra);
    consts.set(b.betas, 0);
    consts.set(b.maxStep, b.layout.L);
    consts.set(b.s0, b.layout.L + b.layout.P);
    const bufs = {
      y: scope.storage(Float32Array.from(b.y), 'bayes y'),
      x: scope.storage(Float32Array.from(b.x), 'bayes x'),
      consts: scope.storage(consts, 'bayes consts'),
      fst: scope.storage(Float32Array.from(init.f), 'bayes state'),
      ust: scope.storage(Uint32Array.from(init.u), 'bayes counters'),
      acc: scope.storage(Float32Array.from(init.a), 'bayes sums'),
      samples: scope.storage(Float32Array.from(init.samples), 'bayes samples'),
      work: scope.storage(b.groups * b.layout.L * 2 * b.n * 4, 'bayes residuals'),
    };
    const p = b.priors;
    const uniforms = (sweep0: number, count: number) => ({
      prm: {
        sweep0,
        count,
        burn: b.burnIn,
        thin: b.thin,
        seed: b.seed,
        first: b.first,
        groups: b.groups,
        pad: 0,
        a_shape: p.aShape,
        a_rate: p.aRate,
        mu_mean: p.muMean,
        mu_var: p.muVar,
        b_shape: p.bShape,
        b_rate: p.bRate,
        c_mean: p.cMean,
        c_sd: p.cSd,
      },
    });
    return {
      run: (sweep0, count) => gpu.submit([kernel.dispatch(bufs, uniforms(sweep0, count), b.groups)]),
      sync: () => gpu.idle(),
      read: async () => ({
        f: Float64Array.from(await gpu.readF32(bufs.fst, init.f.length)),
        u: await gpu.readU32(bufs.ust, init.u.length),
        a: Float64Array.from(await gpu.readF32(bufs.acc, init.a.length)),
        samples: Float64Array.from(await gpu.readF32(bufs.samples, init.samples.length)),
      }),
      dispose: () => scope.close(),
    };
  }
}
