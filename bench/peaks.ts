// `npm run bench -- peaks [--pixels 10000] [--lmfit-pixels 300] [--cpu-pixels 2000] [--quick]`
//
// One Mo-3d-like map (mo3dMap: the 3d5/2 + 3d3/2 pair on a Shirley-like step with Poisson noise,
// 281 channels) fitted with 2 free Gaussian peaks + a linear background by:
//   (a) specmap's WebGPU path       (SwiftShader here: a software adapter, i.e. CPU timings)
//   (b) specmap's CPU reference     (TypeScript, float64; a pixel subset, extrapolated)
//   (c) a vectorised numpy EM       (bench/peers/peaks_em_numpy.py: the same EM, float64)
//   (d) lmfit per pixel             (bench/peers/peaks_lmfit.py: 2 Gaussians + line, leastsq;
//                                    a pixel subset, extrapolated)
// Every method starts every pixel from the same parameters: specmap's multi-start fit of the mean
// spectrum, computed once (it is part of (a)'s total time, shown separately). Times are of the
// per-pixel fitting only. One table from one run; JSON to bench/runs/peaks.json (--update: bench/results/peaks.json).

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeResults } from './_results.js';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatNumber, formatTable } from '../src/cli/table.js';
import { encodeJson } from '../src/data/io/encode-maps.js';
import { encodeNpy } from '../src/data/io/npy.js';
import { makeSpectrumImage, type MapSet } from '../src/data/types.js';
import { measureFmaPeak } from '../src/engine/index.js';
import { adapterDescription, benchAdapters, openBenchEngine, whereLabel } from './_adapters.js';
import { fitPixelsCpu } from '../src/methods/peaks/cpu.js';
import { fitPeaks, mo3dMap, type PeakFitOptions, type PeakFitResult } from '../src/methods/peaks/index.js';
import { buildMaps } from '../src/methods/peaks/backend.js';
import { median, peakAccuracy, quantile } from '../src/report/peaks-accuracy.js';

const PY = '/usr/bin/python3';
const TMP = '.specmap-tmp/bench-peaks';

const { values: args } = parseArgs({
  options: {
    adapter: { type: 'string' },
    pixels: { type: 'string' },
    'lmfit-pixels': { type: 'string' },
    'cpu-pixels': { type: 'string' },
    'max-iter': { type: 'string' },
    tol: { type: 'string' },
    quick: { type: 'boolean' },
    'no-peers': { type: 'boolean' },
  },
});
const quick = args.quick === true;
const int = (v: string | undefined, d: number) => (v === undefined ? d : Math.max(1, Math.round(Number(v))));
const wantPixels = int(args.pixels, quick ? 400 : 10_000);
const lmfitPixels = int(args['lmfit-pixels'], quick ? 40 : 300);
const maxIterations = int(args['max-iter'], 500);
const tol = args.tol === undefined ? 1e-9 : Number(args.tol);

// The map: 100 columns wide (the generator's gradient runs along x), as many rows as needed.
const nx = Math.min(100, wantPixels);
const ny = Math.ceil(wantPixels / nx);
const P = nx * ny;
const cpuPixels = Math.min(P, int(args['cpu-pixels'], quick ? 100 : 2000));
const data = mo3dMap({ nx, ny, seed: 7 });
const C = data.image.channels;
const options: PeakFitOptions = {
  peaks: [{ name: 'p1' }, { name: 'p2' }],
  background: ['rampUp', 'rampDown'],
  maxIterations,
  tol,
};

/** Evenly spread pixel indices (the subsets the slow methods fit). */
function spread(n: number): number[] {
  if (n >= P) return Array.from({ length: P }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.round((i * (P - 1)) / (n - 1)));
}

function subsetImage(idx: number[]) {
  const out = new Float32Array(idx.length * C);
  idx.forEach((p, i) => out.set(data.image.data.subarray(p * C, (p + 1) * C), i * C));
  return out;
}

function python(script: string, argv: string[]): Record<string, unknown> {
  const r = spawnSync(PY, [script, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`${script}: ${r.error.message} (is ${PY} installed?)`);
  if (r.status !== 0)
    throw new Error(`${script} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Peer output ([peak][pixel] arrays over `idx`) as full-size maps named like specmap's, NaN elsewhere. */
function peerMaps(out: Record<string, unknown>, idx: number[]): MapSet {
  const maps: MapSet = {};
  for (const q of ['position', 'fwhm', 'area'] as const) {
    (out[q] as (number | null)[][]).forEach((row, k) => {
      const d = new Float32Array(P).fill(NaN);
      row.forEach((v, i) => (d[idx[i]!] = v ?? NaN));
      maps[`p${k + 1}_${q}`] = { data: d, shape: [ny, nx] };
    });
  }
  return maps;
}

// specmap's p1/p2 are ordered as the mean-spectrum fit found them: pair each with the truth by position.
function truthPairs(r: PeakFitResult): [string, string][] {
  const low = r.start.position[0]! <= r.start.position[1]!;
  return low
    ? [
        ['p1', 'Mo3d52'],
        ['p2', 'Mo3d32'],
      ]
    : [
        ['p1', 'Mo3d32'],
        ['p2', 'Mo3d52'],
      ];
}

interface Row {
  method: string;
  pixels: number;
  seconds: number;
  spectraPerSecond: number;
  meanIterations: number | null;
  converged: number | null;
  accuracy: ReturnType<typeof peakAccuracy>;
  note: string;
}

async function main() {
  // Other work on the machine slows every row (the peers as much as specmap): record how busy it was.
  const loadBefore = loadavg()[0]!;
  mkdirSync(TMP, { recursive: true });
  const rows: Row[] = [];

  // (a) WebGPU, on each adapter in turn. A warm-up fit of a few pixels compiles the pipeline first
  // (compilation is a one-off per process and would otherwise be charged to the first run). The
  // first adapter's fit gives the start and the maps the peers and the reference are compared with.
  const kernels: { where: string; adapter: string; gflops: number; peak: number; once: number; seconds: number }[] = [];
  let first: { r: Awaited<ReturnType<typeof fitPeaks>>; once: Awaited<ReturnType<typeof fitPeaks>> } | null = null;
  for (const adapter of await benchAdapters(args.adapter as string | undefined)) {
    const engine = await openBenchEngine(adapter);
    const gpu = engine.gpu!;
    const peak = await measureFmaPeak(gpu);
    const warm = makeSpectrumImage(data.image.data.slice(0, 16 * C), 1, 16, C, data.image.energy);
    await fitPeaks(engine, warm, options);
    const r = await fitPeaks(engine, data.image, options);
    // Where the time goes: the same map with one EM iteration per pixel costs the uploads, one
    // E+M step, the per-submit readback and the unpacking; the rest of the full run is iterations.
    const once = await fitPeaks(engine, data.image, { ...options, maxIterations: 1 });
    first ??= { r, once };
    const pairs = truthPairs(r);
    const conv = r.maps.converged!.data;
    const iterSum = Array.from(r.maps.iterations!.data).reduce((a, b) => a + b, 0);
    const gpuSeconds = r.timing.runMs / 1000;
    const gflops = (r.flopsPerIteration * iterSum) / gpuSeconds / 1e9;
    const where = whereLabel(gpu);
    kernels.push({
      where,
      adapter: adapterDescription(gpu),
      gflops,
      peak: peak.gflops,
      once: once.timing.runMs / 1000,
      seconds: gpuSeconds,
    });
    rows.push({
      method: `specmap WebGPU (${where}, f32)`,
      pixels: P,
      seconds: gpuSeconds,
      spectraPerSecond: P / gpuSeconds,
      meanIterations: iterSum / P,
      converged: conv.reduce((a, b) => a + b, 0) / P,
      accuracy: peakAccuracy(r.maps, data.truth, pairs),
      note: 'all pixels',
    });
    engine.close();
  }
  const { r, once } = first!;
  const pairs = truthPairs(r);
  const iterSum = Array.from(r.maps.iterations!.data).reduce((a, b) => a + b, 0);
  const gpuSeconds = r.timing.runMs / 1000;

  // (b) CPU reference on a subset, from the same start.
  const cpuIdx = spread(cpuPixels);
  const cpuData = subsetImage(cpuIdx);
  const cpuTotals = Float64Array.from(cpuIdx, (_, i) =>
    cpuData.subarray(i * C, (i + 1) * C).reduce((a, b) => a + b, 0),
  );
  const t0 = performance.now();
  const cpuFits = await fitPixelsCpu({
    m: r.model,
    energy: data.image.energy,
    data: cpuData,
    totals: cpuTotals,
    start: r.start,
  });
  const cpuSeconds = (performance.now() - t0) / 1000;
  const cpuMapsSub = buildMaps(r.model, cpuFits, cpuTotals, 1, cpuIdx.length, data.image.energyUnit);
  const cpuMaps: MapSet = {};
  for (const [name, m] of Object.entries(cpuMapsSub)) {
    const d = new Float32Array(P).fill(NaN);
    cpuIdx.forEach((p, i) => (d[p] = m.data[i]!));
    cpuMaps[name] = { data: d, shape: [ny, nx] };
  }
  rows.push({
    method: 'specmap CPU reference (TS, f64)',
    pixels: cpuIdx.length,
    seconds: cpuSeconds,
    spectraPerSecond: cpuIdx.length / cpuSeconds,
    meanIterations: cpuFits.iterations.reduce((a, b) => a + b, 0) / cpuIdx.length,
    converged: cpuFits.converged.reduce((a, b) => a + b, 0) / cpuIdx.length,
    accuracy: peakAccuracy(cpuMaps, data.truth, pairs, cpuIdx),
    note: cpuIdx.length < P ? `subset of ${cpuIdx.length}, spectra/s extrapolates` : 'all pixels',
  });

  // Inputs of the peers: the same counts, axis, model and start.
  const flat = data.image.data;
  writeFileSync(`${TMP}/data.npy`, encodeNpy(flat, [P, C]));
  writeFileSync(`${TMP}/energy.npy`, encodeNpy(data.image.energy, [C]));
  writeFileSync(`${TMP}/model.json`, encodeJson({ model: r.model, start: r.start }));
  let totalMean = 0;
  for (let p = 0; p < P; p++) for (let n = 0; n < C; n++) totalMean += flat[p * C + n]! / P;
  const sigma = r.start.sigma;
  writeFileSync(
    `${TMP}/init.json`,
    JSON.stringify({
      positions: r.start.position,
      sigmas: sigma,
      areas: r.start.weight.slice(0, 2).map((w) => w * totalMean),
    }),
  );

  let numpyGpuAgreement = { median: NaN, p95: NaN, max: NaN };
  // The numpy EM claims to be the CPU reference's algorithm: on the reference's pixels both are
  // float64, so iteration counts should match and positions agree to rounding.
  let numpyCpuCheck = { sameIterations: NaN, maxPositionDiff: NaN };
  if (args['no-peers'] !== true) {
    // (c) numpy EM, all pixels.
    const np = python('bench/peers/peaks_em_numpy.py', [`${TMP}/data.npy`, `${TMP}/energy.npy`, `${TMP}/model.json`]);
    const all = Array.from({ length: P }, (_, i) => i);
    const npMaps = peerMaps(np, all);
    const npIter = np.iterations as number[];
    const npConv = np.converged as number[];
    rows.push({
      method: `numpy EM (numpy ${String(np.version)}, f64, vectorised)`,
      pixels: P,
      seconds: np.time_s as number,
      spectraPerSecond: P / (np.time_s as number),
      meanIterations: npIter.reduce((a, b) => a + b, 0) / P,
      converged: npConv.reduce((a, b) => a + b, 0) / P,
      accuracy: peakAccuracy(npMaps, data.truth, pairs),
      note: 'all pixels',
    });
    const diffs = Array.from({ length: P }, (_, p) =>
      Math.abs(npMaps.p1_position!.data[p]! - r.maps.p1_position!.data[p]!),
    );
    numpyGpuAgreement = {
      median: median(diffs),
      p95: quantile(diffs, 0.95),
      max: Math.max(...diffs.filter(Number.isFinite)),
    };
    const npPos = np.position as (number | null)[][];
    numpyCpuCheck = {
      sameIterations: cpuIdx.filter((p, i) => npIter[p] === cpuFits.iterations[i]).length / cpuIdx.length,
      maxPositionDiff: Math.max(
        ...cpuIdx.flatMap((p, i) =>
          npPos.map((row, k) => Math.abs((row[p] ?? NaN) - cpuFits.position[k * cpuIdx.length + i]!)),
        ),
      ),
    };

    // (d) lmfit on a subset.
    const lm = python('bench/peers/peaks_lmfit.py', [
      `${TMP}/data.npy`,
      `${TMP}/energy.npy`,
      `${TMP}/init.json`,
      '--limit',
      String(lmfitPixels),
    ]);
    const lmIdx = lm.indices as number[];
    rows.push({
      method: `lmfit ${String(lm.version)} leastsq (2 Gaussians + line)`,
      pixels: lmIdx.length,
      seconds: lm.time_s as number,
      spectraPerSecond: lmIdx.length / (lm.time_s as number),
      meanIterations: null,
      converged: (lm.success as number[]).reduce((a, b) => a + b, 0) / lmIdx.length,
      accuracy: peakAccuracy(peerMaps(lm, lmIdx), data.truth, pairs, lmIdx),
      note: `subset of ${lmIdx.length}, spectra/s extrapolates; median ${String(lm.median_nfev)} model evaluations`,
    });
    // The GPU's accuracy on lmfit's pixels, for a like-for-like accuracy comparison.
    const gpuOnLm = peakAccuracy(r.maps, data.truth, pairs, lmIdx);
    rows[rows.length - 1]!.note +=
      `; WebGPU on these pixels: |Δpos| median ${gpuOnLm.map((a) => formatNumber(a.positionMedian, 2)).join(' / ')} eV`;
  }

  const ref = (name: string) => rows.find((x) => x.method.startsWith(name))?.spectraPerSecond;
  const npRate = ref('numpy');
  const lmRate = ref('lmfit');
  const table = formatTable(
    [
      'method',
      'pixels',
      'time (s)',
      'spectra/s',
      '× numpy EM',
      '× lmfit',
      '|Δpos| p1 (eV)',
      '|Δpos| p2 (eV)',
      'converged',
      'mean iter.',
      'µs/pixel-iter.',
      'note',
    ],
    rows.map((x) => [
      x.method,
      x.pixels,
      x.seconds,
      x.spectraPerSecond,
      npRate ? x.spectraPerSecond / npRate : null,
      lmRate ? x.spectraPerSecond / lmRate : null,
      x.accuracy[0]!.positionMedian,
      x.accuracy[1]!.positionMedian,
      x.converged === null ? null : `${formatNumber(100 * x.converged, 3)} %`,
      x.meanIterations,
      x.meanIterations ? (1e6 * x.seconds) / (x.pixels * x.meanIterations) : null,
      x.note,
    ]),
  );
  const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (${cpus().length} cores: above ${cpus().length}, other work shared them)`;
  const machine = `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; WebGPU adapters: ${kernels.map((k) => k.adapter).join('; ')}`;
  const lines = [
    `peaks bench: ${ny}×${nx} = ${P} spectra × ${C} channels (mo3dMap seed 7), 2 free Gaussians + linear background (rampUp, rampDown)`,
    `EM: max ${maxIterations} iterations; stop when |ΔlogL| <= max(tol ${tol} · |logL|, llFloor ${formatNumber(r.model.llFloor, 3)} · float32 rounding scale), or an LL drop after the first M-step — the same rule in all three EM implementations; same start for all: the mean-spectrum fit (${formatNumber(r.timing.initMs / 1000, 3)} s, not in the times below)`,
    machine,
    load,
    '',
    table,
    '',
    ...kernels.map(
      (k) =>
        `EM kernel on ${k.where}: ${formatNumber(k.gflops, 3)} GFLOP/s vs its FMA ceiling ${formatNumber(k.peak, 3)} GFLOP/s = ${formatNumber((100 * k.gflops) / k.peak, 3)} %; with --max-iter 1 (upload + 1 iteration + readback) ${formatNumber(k.once, 3)} s, the full fit ${formatNumber(k.seconds, 3)} s`,
    ),
    `(${r.flopsPerIteration} FLOP per pixel-iteration × ${iterSum} pixel-iterations on the first adapter: ${formatNumber((1e6 * gpuSeconds) / iterSum, 3)} µs per pixel-iteration)`,
    `WebGPU (f32) vs numpy EM (f64), same algorithm and start: |Δ p1 position| median ${formatNumber(numpyGpuAgreement.median, 3)}, 95th pct ${formatNumber(numpyGpuAgreement.p95, 3)}, max ${formatNumber(numpyGpuAgreement.max, 3)} eV`,
    `numpy EM vs CPU reference (both f64) on the reference's ${cpuIdx.length} pixels: same iteration count for ${formatNumber(100 * numpyCpuCheck.sameIterations, 4)} %, largest |Δ position| ${formatNumber(numpyCpuCheck.maxPositionDiff, 3)} eV (float32 maps)`,
    `WebGPU total incl. mean-spectrum init: ${formatNumber(r.timing.totalMs / 1000, 3)} s = ${formatNumber(P / (r.timing.totalMs / 1000), 4)} spectra/s`,
  ];
  console.log(lines.join('\n'));
  const json = encodeJson({
    bench: 'peaks',
    date: new Date().toISOString(),
    machine,
    load,
    map: { ny, nx, channels: C, generator: 'mo3dMap', seed: 7 },
    options,
    initSeconds: r.timing.initMs / 1000,
    start: r.start,
    rows,
    oneIterationSeconds: once.timing.runMs / 1000,
    kernels: kernels.map((k) => ({ ...k, flopsPerIteration: r.flopsPerIteration })),
    numpyVsWebgpuPositionDiff: numpyGpuAgreement,
    numpyVsCpuReference: numpyCpuCheck,
  });
  // A smoke run never replaces any results.
  if (quick) writeFileSync(`${TMP}/peaks-quick.json`, json);
  else writeResults('peaks', json);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench peaks: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
