// `npm run bench -- mrf [--quick] [--size 512] [--sweeps 1000] [--cpu-sweeps 20] [--no-cpu-full] [--no-peers] [--adapter NAME]`
//
// Potts-MRF segmentation of one synthetic grain map (src/data/synth/grains.ts: Voronoi cells,
// K = 4 classes with distinct 32-channel spectra, Gaussian noise 0.9 per channel, so heavy that
// k-means on single pixels scores an adjusted Rand index near 0.25), size² pixels:
//   (1) Gibbs throughput: label updates per second of the sampling-phase sweep (T = 1, label
//       counting on) on the WebGPU backend (every adapter found: software adapters' timings are CPU
//       timings) and on the float64 CPU reference (--cpu-sweeps sweeps, the rate is per sweep),
//       timed alternately, best of 3 rounds each;
//   (2) time-to-ARI: whole runs, each from its own start, to its final labels: scikit-learn
//       k-means (bench/peers/kmeans_sklearn.py), specmap k-means (WebGPU, CPU), the MRF with
//       --sweeps sweeps (30 % stochastic-EM burn-in, 50 % sampling, 20 % annealing; beta
//       estimated) on WebGPU and on the CPU reference, and a short 200-sweep MRF schedule.
// One table from one run; JSON to bench/runs/mrf.json (--update: bench/results/mrf.json).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeResults } from './_results.js';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '../src/cli/table.js';
import { encodeNpy, parseNpy } from '../src/data/io/npy.js';
import { grainMap } from '../src/data/synth/grains.js';
import { cpuEngine, measureFmaPeak, type Engine } from '../src/engine/index.js';
import { adapterDescription, benchAdapters, openBenchEngine, whereLabel } from './_adapters.js';
import { NO_ANNEAL, type MrfBackend } from '../src/methods/mrf/backend.js';
import { adjustedRandIndex, kmeans, segmentMrf, type MrfResult } from '../src/methods/mrf/index.js';
import { makeBackend } from '../src/methods/mrf/select.js';

const PY = '/usr/bin/python3';
const TMP = '.specmap-tmp/bench-mrf';
const K = 4;
const CHANNELS = 32;

const { values: args } = parseArgs({
  options: {
    adapter: { type: 'string' },
    quick: { type: 'boolean' },
    size: { type: 'string' },
    sweeps: { type: 'string' },
    'cpu-sweeps': { type: 'string' },
    'no-cpu-full': { type: 'boolean' },
    'no-peers': { type: 'boolean' },
  },
});
const quick = args.quick === true;
const size = Math.round(Number(args.size ?? (quick ? 128 : 512)));
const sweeps = Math.round(Number(args.sweeps ?? (quick ? 200 : 1000)));
const cpuSweeps = Math.round(Number(args['cpu-sweeps'] ?? (quick ? 5 : 20)));
if (!(size >= 8 && sweeps >= 10 && cpuSweeps >= 1))
  throw new Error('--size >= 8, --sweeps >= 10 and --cpu-sweeps >= 1 are required');

interface Row {
  impl: string;
  sweeps: number | null;
  updatesPerSecond: number | null;
  seconds: number;
  ari: number | null;
  note: string;
}

/** Label updates per second of `n` sampling-phase sweeps (labels read back at the end). */
async function sweepRate(
  backend: MrfBackend,
  means: Float64Array,
  variances: Float64Array,
  n: number,
  perSubmit: number,
): Promise<number> {
  backend.setClassParams(means, variances);
  backend.resetCounts();
  backend.sweeps({ from: 0, count: 2, beta: 1, countFrom: 0, ...NO_ANNEAL }); // compile (GPU) / JIT (CPU) warm-up
  await backend.labels();
  const t0 = performance.now();
  for (let s = 2; s < n + 2; s += perSubmit)
    backend.sweeps({ from: s, count: Math.min(perSubmit, n + 2 - s), beta: 1, countFrom: 0, ...NO_ANNEAL });
  await backend.labels();
  return (n * backend.npix) / ((performance.now() - t0) / 1000);
}

function sklearnKmeans(
  xPath: string,
  truthPath: string,
  labelsPath: string,
): { seconds: number; ari: number; n_iter: number; sklearn: string } | { error: string } {
  const r = spawnSync(PY, ['bench/peers/kmeans_sklearn.py', xPath, truthPath, String(K), labelsPath], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed' };
  return JSON.parse(r.stdout);
}

async function main(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  const g = grainMap({ ny: size, nx: size, k: K, channels: CHANNELS, seed: 7 });
  const npix = size * size;
  const rows: Row[] = [];
  const adapters: { where: string; description: string; peak: number }[] = [];
  let sklearnVersion: string | null = null;
  // Every WebGPU row on each adapter in turn (bench/_adapters.ts); the peers and the CPU reference
  // run once, beside the first adapter.
  for (const [ai, adapter] of (await benchAdapters(args.adapter)).entries()) {
    const withCpu = ai === 0;
    const engine: Engine = await openBenchEngine(adapter);
    const gpu = engine.gpu!;
    const where = whereLabel(gpu);
    const peak = await measureFmaPeak(gpu);
    adapters.push({ where, description: adapterDescription(gpu), peak: peak.gflops });
    try {
      // k-means: scikit-learn, then specmap's on both backends.
      if (withCpu && !args['no-peers']) {
        const xPath = `${TMP}/X-${size}.npy`;
        const truthPath = `${TMP}/truth-${size}.npy`;
        const labelsPath = `${TMP}/sklearn-labels-${size}.npy`;
        writeFileSync(xPath, encodeNpy(g.image.data, [npix, CHANNELS]));
        writeFileSync(truthPath, encodeNpy(g.labels, [npix]));
        const sk = sklearnKmeans(xPath, truthPath, labelsPath);
        if ('error' in sk) console.error(`  scikit-learn: ${sk.error}`);
        else {
          sklearnVersion = sk.sklearn;
          const ours = adjustedRandIndex(
            parseNpy(new Uint8Array(readFileSync(labelsPath)), labelsPath).data as Uint32Array,
            g.labels,
          );
          if (Math.abs(ours - sk.ari) > 1e-9)
            throw new Error(`ARI mismatch on scikit-learn's labels: specmap ${ours}, sklearn ${sk.ari}`);
          rows.push({
            impl: `scikit-learn ${sk.sklearn} KMeans (k-means++, n_init 1)`,
            sweeps: null,
            updatesPerSecond: null,
            seconds: sk.seconds,
            ari: sk.ari,
            note: `${sk.n_iter} iterations`,
          });
        }
      }
      const kmeansRuns: [Engine | null, string][] = [[engine, `specmap k-means WebGPU (${where}, f32)`]];
      if (withCpu) kmeansRuns.push([null, 'specmap k-means CPU reference (f64)']);
      for (const [e, impl] of kmeansRuns) {
        const t0 = performance.now();
        const km = await kmeans(e, g.image, { k: K, seed: 1 });
        rows.push({
          impl,
          sweeps: null,
          updatesPerSecond: null,
          seconds: (performance.now() - t0) / 1000,
          ari: adjustedRandIndex(km.labels, g.labels),
          note: `${km.iterations} iterations`,
        });
        console.error(`  ${impl}: done`);
      }

      // Gibbs throughput on fixed parameters (the true class spectra, noise variance). The two
      // backends are timed alternately, 3 rounds, best of each: on a shared machine the load
      // then weighs on both alike.
      const means = new Float64Array(g.spectra);
      const variances = new Float64Array(K).fill(0.81);
      const lat = { ny: size, nx: size, neighbours: 4 as const, periodic: false };
      const gpuSweeps = quick ? 20 : 100;
      const timed = [
        { e: engine, n: gpuSweeps, impl: `Gibbs sweeps WebGPU (${where}, f32)`, rate: 0, seconds: 0 },
        { e: null, n: cpuSweeps, impl: 'Gibbs sweeps CPU reference (f64)', rate: 0, seconds: 0 },
      ].slice(0, withCpu ? 2 : 1);
      const backends = timed.map((t) => makeBackend(t.e, g.image, K, lat, 1));
      try {
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < timed.length; i++) {
            const t0 = performance.now();
            const rate = await sweepRate(backends[i]!, means, variances, timed[i]!.n, 25);
            if (rate > timed[i]!.rate) Object.assign(timed[i]!, { rate, seconds: (performance.now() - t0) / 1000 });
            console.error(`  ${timed[i]!.impl}, round ${round + 1}: ${formatNumber(rate / 1e6, 3)} M updates/s`);
          }
        }
      } finally {
        for (const b of backends) b.dispose();
      }
      for (const t of timed)
        rows.push({
          impl: t.impl,
          sweeps: t.n,
          updatesPerSecond: t.rate,
          seconds: t.seconds,
          ari: null,
          note: 'sampling phase: T = 1, counts on; best of 3 alternating rounds',
        });

      // Whole MRF runs.
      const schedule = (n: number) => ({
        burnIn: Math.round(0.3 * n),
        samples: Math.round(0.5 * n),
        anneal: n - Math.round(0.3 * n) - Math.round(0.5 * n),
      });
      const runs: [Engine, number, string][] = [[engine, sweeps, `specmap MRF WebGPU (${where}, f32)`]];
      if (sweeps > 200) runs.push([engine, 200, `specmap MRF WebGPU, short schedule (${where})`]);
      if (withCpu && !args['no-cpu-full']) runs.push([cpuEngine(), sweeps, 'specmap MRF CPU reference (f64)']);
      for (const [e, n, impl] of runs) {
        const t0 = performance.now();
        const r: MrfResult = await segmentMrf(e, g.image, { k: K, ...schedule(n), seed: 1 });
        const seconds = (performance.now() - t0) / 1000;
        rows.push({
          impl,
          sweeps: r.sweeps,
          updatesPerSecond: r.labelUpdates / seconds,
          seconds,
          ari: adjustedRandIndex(r.labels, g.labels),
          note: `beta ${r.betaTrace.at(-1)!.toFixed(3)}, mean confidence ${(r.confidence.reduce((a, b) => a + b, 0) / npix).toFixed(3)}`,
        });
        console.error(`  ${impl}: ${seconds.toFixed(1)} s`);
      }
    } finally {
      engine.close();
    }
  }

  const gpuRates = adapters.map(
    (a) => rows.find((r) => r.impl === `Gibbs sweeps WebGPU (${a.where}, f32)`)?.updatesPerSecond ?? NaN,
  );
  const cpuRate = rows.find((r) => r.impl.startsWith('Gibbs sweeps CPU'))?.updatesPerSecond ?? NaN;
  const skRow = rows.find((r) => r.impl.startsWith('scikit-learn'));
  const table = formatTable(
    ['implementation', 'sweeps', 'M label updates/s', 'time s', '× sklearn time', 'ARI', 'notes'],
    rows.map((r) => [
      r.impl,
      r.sweeps ?? '',
      r.updatesPerSecond === null ? '' : formatNumber(r.updatesPerSecond / 1e6, 3),
      formatNumber(r.seconds, 3),
      skRow && r !== skRow ? `${formatNumber(r.seconds / skRow.seconds, 3)}×` : '',
      r.ari === null ? '' : r.ari.toFixed(4),
      r.note,
    ]),
  );
  const machine = `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; WebGPU adapters: ${adapters.map((a) => a.description).join('; ')}`;
  // Per update the sweep kernel reads a quarter of its 4 packed neighbour words (labels 4 to a u32)
  // and one vec4 of likelihood weights, writes a quarter of a packed word and a count (~29 bytes)
  // and spends a quarter of a Philox4x32-10 block (10 rounds of two
  // 32x32->64 products emulated with 16-bit halves, ~75 integer operations per update): integer
  // and gather bound, so the float ceiling below is context, not a roofline.
  const lines = [
    `Potts-MRF benchmark: ${size}×${size} grain map, K = ${K}, ${CHANNELS} channels, noise 0.9; 4 neighbours`,
    `machine: ${machine}`,
    ...adapters.map((a) => `${a.where}: float ceiling (measureFmaPeak) ${formatNumber(a.peak, 3)} GFLOP/s`),
    '',
    table,
    '',
    ...adapters.map(
      (a, i) => `WebGPU (${a.where}) / CPU reference Gibbs throughput: ${formatNumber(gpuRates[i]! / cpuRate, 3)}×.`,
    ),
    'M label updates/s of whole runs include k-means, parameter updates, traces and readbacks. Software WebGPU timings are CPU timings.',
    'The sweep is integer- and gather-bound (~29 bytes and ~75 integer operations of Philox per update), so GFLOP/s is not meaningful.',
  ];
  console.log(lines.join('\n'));
  writeResults(
    'mrf',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        size,
        k: K,
        channels: CHANNELS,
        sweeps,
        adapters: adapters.map((a, i) => ({ ...a, gpuOverCpuThroughput: gpuRates[i]! / cpuRate })),
        sklearn: sklearnVersion,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
}

await main();
