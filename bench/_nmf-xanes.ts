// `npm run bench -- nmf --xanes [--stacks 6] [--size 48]`: overlapping components, one table.
// Fresh synthetic XANES stacks (src/data/synth/xanes.ts: 3–5 components whose spectra correlate
// 0.75–0.95 pairwise, abundances summing to one, Gaussian noise 1–3 % of the maximum, negatives
// clipped to 0 as `--negative clip` does), each factorised on the same matrix by specmap minvol
// and hals (WebGPU) and scikit-learn NMF 'cd' (init nndsvda, tol 1e-4), all capped at 500
// iterations. Per stack and method: the worst one-to-one matched correlation of a recovered
// spectrum with its true one (exhaustive matching), the relative error and the time.
// JSON to bench/results/nmf-xanes.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { formatTable } from '../src/cli/table.js';
import { encodeNpy } from '../src/data/io/npy.js';
import { xanesStack } from '../src/data/synth/xanes.js';
import { openEngine } from '../src/engine/index.js';
import { matchComponents } from '../src/methods/nmf/accuracy.js';
import { nmf, type NmfOptions } from '../src/methods/nmf/index.js';

const PY = '/usr/bin/python3';
const TMP = '.specmap-tmp/bench-nmf-xanes';
const MAX_ITER = 500;

interface Row {
  stack: number;
  k: number;
  noise: number;
  correlation: string;
  impl: string;
  worst: number;
  relativeError: number;
  iterations: number;
  seconds: number;
}

export async function xanesBench(stacks: number, size: number): Promise<void> {
  const engine = await openEngine({ backend: 'webgpu', log: () => undefined });
  const gpu = engine.gpu!;
  mkdirSync(TMP, { recursive: true });
  const seed0 = (Date.now() % 100000) + 1;
  const rows: Row[] = [];
  let sklearnVersion = '';
  const load0 = loadavg()[0]!;
  try {
    for (let s = 0; s < stacks; s++) {
      const seed = seed0 + s;
      const k = 3 + (s % 3);
      const noise = 0.01 + 0.02 * ((seed * 0.618) % 1);
      const d = xanesStack({ seed, k, ny: size, nx: size, noise });
      const m = d.image.channels;
      const corr = `${d.correlation.min.toFixed(2)}–${d.correlation.max.toFixed(2)}`;
      const worst = (f: ArrayLike<number>, ke: number) =>
        Math.min(...matchComponents(d.spectra, k, f, ke, m).correlation);
      const base = { stack: seed, k, noise, correlation: corr };
      for (const [impl, o] of [
        ['specmap minvol (WebGPU)', { method: 'minvol' }],
        ['specmap hals (WebGPU)', { method: 'hals' }],
      ] as [string, Partial<NmfOptions>][]) {
        const t0 = performance.now();
        const r = await nmf(engine, d.image, { k, negative: 'clip', maxIterations: MAX_ITER, ...o });
        const seconds = (performance.now() - t0) / 1000;
        rows.push({
          ...base,
          impl,
          worst: worst(r.factors.data, r.k),
          relativeError: r.relativeError,
          iterations: r.iterations,
          seconds,
        });
      }
      const clipped = Float32Array.from(d.image.data, (v) => Math.max(v, 0));
      const path = `${TMP}/x-${seed}.npy`;
      writeFileSync(path, encodeNpy(clipped, [size * size, m]));
      const py = spawnSync(
        PY,
        ['bench/peers/nmf_sklearn.py', path, String(k), String(MAX_ITER), 'cd', '--tol=1e-4', '--factors'],
        {
          encoding: 'utf8',
        },
      );
      const out = py.status === 0 ? JSON.parse(py.stdout) : { error: py.stderr };
      if (out.error) {
        console.error(`scikit-learn skipped: ${String(out.error).split('\n')[0]}`);
      } else {
        sklearnVersion = out.sklearn;
        const cd = out.solvers.cd;
        rows.push({
          ...base,
          impl: `scikit-learn ${out.sklearn} 'cd' (f32)`,
          worst: worst((cd.factors as number[][]).flat(), k),
          relativeError: cd.relative_error,
          iterations: cd.n_iter,
          seconds: cd.seconds,
        });
      }
    }
  } finally {
    engine.close();
  }
  const machine = `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; WebGPU adapter: ${gpu.adapterDescription}${gpu.isSoftware ? ' (software: runs on the CPU)' : ''}`;
  const table = formatTable(
    [
      'stack seed',
      'k',
      'noise',
      'true corr.',
      'implementation',
      'worst matched corr.',
      'rel. error',
      'iterations',
      'time s',
    ],
    rows.map((r) => [
      String(r.stack),
      r.k,
      `${(r.noise * 100).toFixed(1)} %`,
      r.correlation,
      r.impl,
      r.worst.toFixed(3),
      r.relativeError.toExponential(3),
      r.iterations,
      r.seconds.toFixed(2),
    ]),
  );
  const summary = ['minvol', 'hals', 'scikit'].map((key) => {
    const w = rows.filter((r) => r.impl.includes(key)).map((r) => r.worst);
    return `${key}: lowest ${Math.min(...w).toFixed(3)}, mean ${(w.reduce((a, b) => a + b, 0) / w.length).toFixed(3)}`;
  });
  console.log(
    [
      `NMF on overlapping XANES components: ${stacks} fresh stacks ${size}×${size} × 120 energies, negatives clipped, ≤ ${MAX_ITER} iterations, tol 1e-4`,
      `machine: ${machine}; load average ${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`,
      '',
      table,
      '',
      `worst matched correlation over the stacks — ${summary.join('; ')}`,
    ].join('\n'),
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/nmf-xanes.json',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        loadavg: [load0, loadavg()[0]],
        size,
        maxIter: MAX_ITER,
        sklearn: sklearnVersion || null,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
}
