// `npm run bench -- nmf [--quick] [--iters 100] [--sizes small,large] [--ks 3,8] [--no-cpu] [--no-peers] [--adapter NAME]`
// `npm run bench -- nmf --xanes [--stacks 6] [--size 48]`: minvol vs hals vs scikit-learn on overlapping
// XANES components (bench/_nmf-xanes.ts).
//
// The same matrix X (a synthetic Fe L-edge electrode stack from src/data/synth/electrode.ts with
// k phases, shot-like noise 0.01·sqrt(max·v)) and the same iteration count (tol 0: exactly --iters iterations) for:
//   (a) specmap's WebGPU path, MU and HALS, on every adapter found (bench/_adapters.ts; software
//       adapters' timings are CPU timings); --adapter NAME runs one
//   (b) specmap's CPU reference, MU and HALS (TypeScript, float64)
//   (c) scikit-learn NMF, solvers 'mu' and 'cd' (bench/peers/nmf_sklearn.py, float32 input,
//       init 'nndsvda' like ours)
// Sizes: 4096 × 241 (64×64 pixels) and 65536 × 300 (256×256 pixels), k = 3 and 8.
// Times are wall times of the whole fit (init + iterations), as sklearn's fit_transform; the
// iterations alone are shown for specmap. "rel. error" is ‖X − WH‖_F/‖X‖_F; "truth" the lowest
// correlation of a recovered spectrum with its true one. GFLOP/s counts the products of MU (4nmk +
// 4nk² + 4mk² per iteration) over the iteration time, beside the backend's FMA ceiling
// (measureFmaPeak) and a plain square matrix product through the same kernel (abt.wgsl); the
// "X-read floor" is two passes over X per iteration at the engine's streaming-read rate
// (measureStreamRead), the least time MU's iterations can take on this backend.
// One table from one run; JSON to bench/runs/nmf.json (--update: bench/results/nmf.json).

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeResults } from './_results.js';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '../src/cli/table.js';
import { encodeNpy } from '../src/data/io/npy.js';
import { electrodeStack } from '../src/data/synth/electrode.js';
import { measureFmaPeak, measureStreamRead, openEngine, type Engine, type GpuEngine } from '../src/engine/index.js';
import { adapterDescription, benchAdapters, openBenchEngine, whereLabel } from './_adapters.js';
import { NmfOps } from '../src/methods/nmf/gpu-ops.js';
import { nmf, type NmfMethod } from '../src/methods/nmf/index.js';
import { matchComponents } from '../src/methods/nmf/accuracy.js';
import { xanesBench } from './_nmf-xanes.js';

const PY = '/usr/bin/python3';
const TMP = '.specmap-tmp/bench-nmf';

const { values: args } = parseArgs({
  options: {
    adapter: { type: 'string' },
    quick: { type: 'boolean' },
    iters: { type: 'string' },
    sizes: { type: 'string' },
    ks: { type: 'string' },
    'no-cpu': { type: 'boolean' },
    'no-peers': { type: 'boolean' },
    xanes: { type: 'boolean' },
    stacks: { type: 'string' },
    size: { type: 'string' },
  },
});
const quick = args.quick === true;
const iters = Math.max(10, Math.round(Number(args.iters ?? (quick ? 20 : 100))));
const SIZES = { small: { ny: 64, nx: 64, channels: 241 }, large: { ny: 256, nx: 256, channels: 300 } } as const;
const sizeNames = (args.sizes ?? (quick ? 'small' : 'small,large')).split(',') as (keyof typeof SIZES)[];
for (const s of sizeNames) if (!SIZES[s]) throw new Error(`--sizes: unknown size '${s}' (small, large)`);
const ks = (args.ks ?? (quick ? '3' : '3,8')).split(',').map(Number);

interface Row {
  matrix: string;
  k: number;
  impl: string;
  seconds: number;
  iterSeconds: number | null;
  relativeError: number;
  truth: number | null;
  gflops: number | null;
  /** WebGPU MU only: the least time its iterations can take on this backend, reading X twice per
   * iteration (X Hᵀ and Wᵀ X) at the engine's measured streaming-read rate. */
  readFloorSeconds: number | null;
  /** The FMA ceiling of the adapter the row ran on (WebGPU rows). */
  peakGflops: number | null;
}

function muFlops(n: number, m: number, k: number): number {
  return 4 * n * m * k + 4 * n * k * k + 4 * m * k * k;
}

/** Best-of-3 GFLOP/s of a square N×N product through abt.wgsl. */
async function squareProduct(gpu: GpuEngine, N: number): Promise<number> {
  const ops = new NmfOps(gpu);
  const best = await gpu.scope(async (s) => {
    const A = s.storage(Float32Array.from({ length: N * N }, () => Math.random()));
    const B = s.storage(Float32Array.from({ length: N * N }, () => Math.random()));
    const C = s.storage(N * N * 4);
    const d = ops.abt(A, N, N / 4, B, N / 4, C);
    gpu.submit([d]);
    await gpu.idle();
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      gpu.submit([d]);
      await gpu.idle();
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    return best;
  });
  ops.dispose();
  return (2 * N ** 3) / best / 1e9;
}

function sklearn(
  path: string,
  k: number,
): {
  mu?: { seconds: number; relative_error: number };
  cd?: { seconds: number; relative_error: number };
  version?: string;
  error?: string;
} {
  const r = spawnSync(PY, ['bench/peers/nmf_sklearn.py', path, String(k), String(iters)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() };
  const out = JSON.parse(r.stdout) as {
    error?: string;
    sklearn?: string;
    solvers?: Record<string, { seconds: number; relative_error: number }>;
  };
  if (out.error) return { error: out.error };
  return { mu: out.solvers?.mu, cd: out.solvers?.cd, version: out.sklearn };
}

async function main(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  const cpu: Engine = await openEngine({ backend: 'cpu', log: () => undefined });
  const rows: Row[] = [];
  const adapters: { where: string; description: string; peak: number; square: number }[] = [];
  let sklearnVersion = '';
  const cases = sizeNames.flatMap((sizeName) => ks.map((k) => ({ size: SIZES[sizeName], k })));
  const stackOf = (c: (typeof cases)[number]) => electrodeStack({ ...c.size, k: c.k, noise: 0.01, seed: 7 });
  const run = async (
    e: Engine,
    data: ReturnType<typeof stackOf>,
    k: number,
    method: NmfMethod,
    impl: string,
    gpuInfo: { streamSeconds: number; peak: number } | null,
  ) => {
    const n = data.image.ny * data.image.nx;
    const m = data.image.channels;
    const matrix = `${n} × ${m}`;
    const t0 = performance.now();
    const r = await nmf(e, data.image, { k, method, maxIterations: iters, tol: 0, init: 'nndsvda' });
    const seconds = (performance.now() - t0) / 1000;
    const gflops = gpuInfo && method === 'mu' ? (muFlops(n, m, k) * iters) / (r.timing.runMs / 1000) / 1e9 : null;
    rows.push({
      matrix,
      k,
      impl,
      seconds,
      iterSeconds: r.timing.runMs / 1000,
      relativeError: r.relativeError,
      truth: Math.min(...matchComponents(data.spectra, k, r.factors.data, r.k, m).correlation),
      gflops,
      readFloorSeconds: gflops === null || !gpuInfo ? null : 2 * iters * gpuInfo.streamSeconds,
      peakGflops: gpuInfo?.peak ?? null,
    });
    console.error(`  ${matrix} k=${k} ${impl}: ${seconds.toFixed(2)} s`);
  };

  // (a) WebGPU, one adapter after another (each engine closed before the next opens).
  for (const adapter of await benchAdapters(args.adapter)) {
    const engine = await openBenchEngine(adapter);
    try {
      const gpu = engine.gpu!;
      const peak = await measureFmaPeak(gpu);
      const square = await squareProduct(gpu, quick ? 256 : 512);
      const where = whereLabel(gpu);
      adapters.push({ where, description: adapterDescription(gpu), peak: peak.gflops, square });
      for (const c of cases) {
        const data = stackOf(c);
        const n = c.size.ny * c.size.nx;
        // Reading X once, row per thread, at this shape: the floor under every pass over the data.
        const stream = await measureStreamRead(gpu, n, Math.ceil(c.size.channels / 4));
        console.error(
          `  ${where} ${n} × ${c.size.channels}: one read of X takes ${(stream.seconds * 1e3).toFixed(1)} ms (${(stream.bytesPerSecond / 1e9).toFixed(2)} GB/s)`,
        );
        const info = { streamSeconds: stream.seconds, peak: peak.gflops };
        await run(engine, data, c.k, 'mu', `specmap WebGPU MU (${where}, f32)`, info);
        await run(engine, data, c.k, 'hals', `specmap WebGPU HALS (${where}, f32)`, info);
      }
    } finally {
      engine.close();
    }
  }
  // (b) the CPU reference and (c) scikit-learn on the same stacks.
  for (const c of cases) {
    const data = stackOf(c);
    const n = c.size.ny * c.size.nx;
    const m = c.size.channels;
    if (!args['no-cpu']) {
      await run(cpu, data, c.k, 'mu', 'specmap CPU reference MU (f64)', null);
      await run(cpu, data, c.k, 'hals', 'specmap CPU reference HALS (f64)', null);
    }
    if (!args['no-peers']) {
      const path = `${TMP}/X-${n}x${m}-k${c.k}.npy`;
      writeFileSync(path, encodeNpy(data.image.data, [n, m]));
      const sk = sklearn(path, c.k);
      if (sk.error) {
        console.error(`  scikit-learn: ${sk.error}`);
      } else {
        sklearnVersion = sk.version ?? '';
        for (const [solver, res] of [
          ['mu', sk.mu],
          ['cd', sk.cd],
        ] as const) {
          if (res)
            rows.push({
              matrix: `${n} × ${m}`,
              k: c.k,
              impl: `scikit-learn ${sklearnVersion} '${solver}' (f32)`,
              seconds: res.seconds,
              iterSeconds: null,
              relativeError: res.relative_error,
              truth: null,
              gflops: null,
              readFloorSeconds: null,
              peakGflops: null,
            });
        }
      }
    }
  }
  // One block per matrix and k, as before: WebGPU rows of every adapter, the reference, the peers.
  const order = cases.map((c) => `${c.size.ny * c.size.nx} × ${c.size.channels} ${c.k}`);
  rows.sort((a, b) => order.indexOf(`${a.matrix} ${a.k}`) - order.indexOf(`${b.matrix} ${b.k}`));

  const skFor = (r: Row, solver: 'mu' | 'cd') =>
    rows.find(
      (x) =>
        x.matrix === r.matrix && x.k === r.k && x.impl.startsWith('scikit-learn') && x.impl.includes(`'${solver}'`),
    );
  const table = formatTable(
    [
      'matrix',
      'k',
      'implementation',
      'time s',
      'iterations s',
      'X-read floor s',
      '× sklearn',
      'rel. error',
      'Δ err vs sklearn',
      'truth corr',
      'GFLOP/s',
      '% of peak',
    ],
    rows.map((r) => {
      const peer = skFor(r, r.impl.includes('HALS') || r.impl.includes("'cd'") ? 'cd' : 'mu');
      return [
        r.matrix,
        r.k,
        r.impl,
        formatNumber(r.seconds, 3),
        r.iterSeconds === null ? '' : formatNumber(r.iterSeconds, 3),
        r.readFloorSeconds === null ? '' : formatNumber(r.readFloorSeconds, 3),
        peer && !r.impl.startsWith('scikit') ? `${formatNumber(r.seconds / peer.seconds, 3)}×` : '',
        r.relativeError.toExponential(4),
        peer && !r.impl.startsWith('scikit')
          ? `${(((r.relativeError - peer.relativeError) / peer.relativeError) * 100).toFixed(3)}%`
          : '',
        r.truth === null ? '' : r.truth.toFixed(4),
        r.gflops === null ? '' : formatNumber(r.gflops, 3),
        r.gflops === null || r.peakGflops === null ? '' : `${((r.gflops / r.peakGflops) * 100).toFixed(0)}%`,
      ];
    }),
  );
  const machine = `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; WebGPU adapters: ${adapters.map((a) => a.description).join('; ')}`;
  const lines = [
    `NMF benchmark: ${iters} iterations (tol 0), init nndsvda, synthetic electrode stacks (shot-like noise 0.01: σ = 0.01·sqrt(max·v))`,
    `machine: ${machine}`,
    ...adapters.map(
      (a) =>
        `${a.where}: ceiling (measureFmaPeak) ${formatNumber(a.peak, 3)} GFLOP/s; square ${quick ? 256 : 512}² product through abt.wgsl: ${formatNumber(a.square, 3)} GFLOP/s (${((a.square / a.peak) * 100).toFixed(0)}% of the ceiling)`,
    ),
    '',
    table,
    '',
    "time s: whole fit (init + iterations); iterations s: specmap's iterations and loss checks alone. × sklearn: time over",
    "scikit-learn's (MU vs 'mu', HALS vs 'cd'). GFLOP/s: MU products over the iteration time. X-read floor: the iterations' least",
    'possible time on this backend, two reads of X per iteration at the measured streaming-read rate (measureStreamRead).',
    'Software WebGPU timings are CPU timings.',
  ];
  console.log(lines.join('\n'));
  writeResults(
    'nmf',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        iterations: iters,
        adapters,
        sklearn: sklearnVersion || null,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
}

if (args.xanes) await xanesBench(Number(args.stacks ?? 6), Number(args.size ?? 48));
else await main();
