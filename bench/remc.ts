// `npm run bench -- remc [--spectra N] [--burn-in N] [--sweeps N] [--backend webgpu|cpu] [--adapter NAME]`:
// replica-exchange Monte Carlo on fresh synthetic spectra (K = 1..4 peaks, 301 points, SNR 20,
// peaks 2-3 FWHM apart), specmap against a vectorised numpy REMC of the same model, ladder and
// sweep counts (bench/peers/remc_numpy.py): seconds per spectrum, K-right rate and F(K)
// agreement from one run. The full size is 100 spectra x (2000 + 2000) sweeps.
// WebGPU runs on the first adapter bench/_adapters.ts finds (a hardware GPU first); --adapter NAME
// (or BENCH_ADAPTER=NAME) picks one. One table; JSON to bench/results/remc.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { formatTable } from '../src/cli/table.js';
import { encodeNpy } from '../src/data/io/npy.js';
import { openEngine } from '../src/engine/index.js';
import { benchAdapters, openBenchEngine } from './_adapters.js';
import { bayesPeaks, bayesSettings, type BayesOptions } from '../src/methods/bayes/index.js';
import { axis, randomPeaks, synthSpectra } from '../src/methods/bayes/synth.js';
import { PhiloxStream } from '../src/random/index.js';

const PY = '/usr/bin/python3';
const TMP = '.specmap-tmp/bench-remc';

const { values: args } = parseArgs({
  options: {
    spectra: { type: 'string' },
    'burn-in': { type: 'string' },
    sweeps: { type: 'string' },
    backend: { type: 'string' },
    adapter: { type: 'string' },
    seed: { type: 'string' },
  },
});
const int = (v: string | undefined, d: number) => (v === undefined ? d : Math.max(1, Math.round(Number(v))));
const S = int(args.spectra, 100);
const seed = int(args.seed, 1);
const opts: BayesOptions = {
  kmax: 4,
  replicas: 24,
  chains: 2,
  burnIn: int(args['burn-in'], 2000),
  sweeps: int(args.sweeps, 2000),
  seed,
};

const r = new PhiloxStream(seed, 77);
const truths = Array.from({ length: S }, (_, i) => randomPeaks(r, 1 + (i % 4), 2 + r.uniformDouble(), 20));
const x = axis(301, 0, 3);
const img = synthSpectra(x, truths, seed);
const settings = bayesSettings(opts, x, img.data, S);

mkdirSync(TMP, { recursive: true });
writeFileSync(`${TMP}/data.npy`, encodeNpy(img.data, [S, 301]));
writeFileSync(`${TMP}/axis.npy`, encodeNpy(x, [301]));
writeFileSync(
  `${TMP}/settings.json`,
  JSON.stringify({
    ...opts,
    ratio: settings.ratio,
    priors: settings.priors,
    noiseFloor: Array.from(settings.noiseFloor),
  }),
);

const load0 = loadavg()[0]!;
const engine =
  args.backend === 'cpu'
    ? await openEngine({ backend: 'cpu', log: () => undefined })
    : await openBenchEngine((await benchAdapters(args.adapter))[0]!);
const res = await bayesPeaks(engine, img, opts);
engine.close();
const py = spawnSync(PY, ['bench/peers/remc_numpy.py', `${TMP}/data.npy`, `${TMP}/axis.npy`, `${TMP}/settings.json`], {
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
if (py.status !== 0)
  throw new Error(`remc_numpy.py exited ${py.status}: ${py.stderr.trim().split('\n').slice(-3).join(' | ')}`);
const peer = JSON.parse(py.stdout) as { time_s: number; free_energy: number[][]; k_selected: number[] };
const load1 = loadavg()[0]!;

const want = truths.map((t) => t.a.length);
const right = (ks: number[]) => ks.filter((k, i) => k === want[i]).length / S;
let dF = 0;
for (let i = 0; i < S; i++)
  for (let k = 0; k < 4; k++) dF += Math.abs(res.spectra[i]!.free[k]! - peer.free_energy[i]![k]!) / (4 * S);
const rows = [
  [
    `specmap (${res.backend}, ${engine.description})`,
    (res.timing.totalMs / 1000 / S).toFixed(3),
    right(res.spectra.map((s) => s.kSelected)).toFixed(3),
  ],
  ['numpy REMC (float64, vectorised)', (peer.time_s / S).toFixed(3), right(peer.k_selected).toFixed(3)],
];
console.log(
  `REMC: ${S} spectra × 301 points, K = 1..4, L = 24, 2 chains, ${opts.burnIn} + ${opts.sweeps} sweeps; ${cpus().length} cores, load ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
);
console.log(formatTable(['implementation', 's / spectrum', 'K right'], rows));
console.log(
  `mean |F_specmap(K) − F_numpy(K)| = ${dF.toFixed(3)} nats; speed-up ${(peer.time_s / (res.timing.totalMs / 1000)).toFixed(2)}×`,
);
writeFileSync(
  'bench/results/remc.json',
  JSON.stringify(
    {
      spectra: S,
      options: opts,
      cores: cpus().length,
      load: [load0, load1],
      specmap: {
        backend: res.backend,
        adapter: engine.description,
        secondsPerSpectrum: res.timing.totalMs / 1000 / S,
        kRight: right(res.spectra.map((s) => s.kSelected)),
      },
      numpy: { secondsPerSpectrum: peer.time_s / S, kRight: right(peer.k_selected) },
      meanAbsFreeEnergyDiff: dF,
    },
    null,
    2,
  ),
);
