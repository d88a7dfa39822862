// Replica-exchange Monte Carlo: kernels/bayes/remc.wgsl against the float64 reference
// (src/methods/bayes/cpu.ts) on the same Philox numbers. One sweep from the same state makes the
// same accept/reject decisions except where the log-ratio lies within float32 rounding of log u
// (counted and bounded); full runs agree on F(K) and posterior means within stated tolerances.
import { PhiloxStream } from '../../src/random/index.js';
import { bayesSettings, type BayesOptions } from '../../src/methods/bayes/model.js';
import { initialState, makeBatch } from '../../src/methods/bayes/batch.js';
import { CpuRemcBackend, runSweeps } from '../../src/methods/bayes/cpu.js';
import { GpuRemcBackend } from '../../src/methods/bayes/gpu.js';
import { runRemc } from '../../src/methods/bayes/driver.js';
import { axis, randomPeaks, synthSpectra } from '../../src/methods/bayes/synth.js';
import type { ParityCase } from './types.js';
import { check, freshSeed } from './types.js';

/** |log u − log α| below which float32 may decide a move differently from float64. */
const NEAR = (logAlpha: number) => 1e-3 * (1 + Math.abs(logAlpha));
/** F(K) agreement of full runs (nats) and posterior means: 4 Monte Carlo standard errors or a quarter sd. */
const FREE_TOL = 1.0;

function spectra(seed: number, count: number, n: number) {
  const r = new PhiloxStream(seed, 999);
  const truths = Array.from({ length: count }, (_, i) => randomPeaks(r, 1 + (i % 3), 2.5, 20));
  return synthSpectra(axis(n, 0, 3), truths, seed);
}

export const cases: ParityCase[] = [
  {
    name: 'bayes: one sweep from the same state makes the same decisions (moves and exchanges) except within float32 rounding of the threshold',
    async run(engine) {
      const seed = freshSeed();
      const img = spectra(seed, 4, 201);
      const opts: BayesOptions = { kmax: 3, burnIn: 24, sweeps: 10, samples: 10, seed, background: true };
      const s = bayesSettings(opts, img.energy, img.data, 4);
      for (const K of [1, 3]) {
        const b = makeBatch(s, K, img.energy, img.data, 4);
        const init = initialState(b);
        // Sweep 24 is the last of burn-in (steps adapt); sweep 25 the first sampling sweep (odd exchanges, sums).
        for (const sweep of [24, 25]) {
          const cpu = { f: init.f.slice(), u: init.u.slice(), a: init.a.slice(), samples: init.samples.slice() };
          const margin = new Map<string, number>();
          runSweeps(b, cpu, sweep, 1, (g, st, j, logU, logAlpha) =>
            margin.set(`${g}/${st}/${j}`, Math.abs(logU - logAlpha) / NEAR(logAlpha)),
          );
          const run = new GpuRemcBackend(engine.gpu!).start(b, init);
          run.run(sweep, 1);
          const gpu = await run.read();
          run.dispose();
          const ly = b.layout;
          let moves = 0;
          let near = 0;
          let unexplained = '';
          let diverged = 0;
          for (let g = 0; g < b.groups; g++) {
            let groupSame = true;
            for (let st = 0; st < ly.L; st++) {
              const th = g * ly.fStride + ly.fTheta + st * ly.P;
              for (let j = 0; j < ly.P; j++) {
                moves++;
                const c = cpu.f[th + j] !== init.f[th + j];
                const gg = gpu.f[th + j] !== init.f[th + j];
                if (c === gg) continue;
                groupSame = false;
                diverged++;
                const m = margin.get(`${g}/${st}/${j}`) ?? Infinity;
                if (m <= 1) near++;
                else if (!unexplained)
                  unexplained = `group ${g} state ${st} param ${j}: CPU ${c ? 'accepts' : 'rejects'}, GPU differs, |log u − log α| = ${m.toFixed(2)} × the float32 band`;
                break; // later moves of this replica start from different states
              }
              if (groupSame) {
                const ssC = cpu.f[g * ly.fStride + ly.fSs + st]!;
                const ssG = gpu.f[g * ly.fStride + ly.fSs + st]!;
                check(
                  Math.abs(ssC - ssG) <= 1e-4 * (1 + ssC),
                  `seed ${seed} K ${K} sweep ${sweep}: residual sum of squares of group ${g} state ${st}: GPU ${ssG}, CPU ${ssC}`,
                );
              }
            }
            if (!groupSame) continue;
            for (let t = 0; t < ly.L; t++) {
              const pc = cpu.u[g * ly.uStride + ly.uPerm + t];
              const pg = gpu.u[g * ly.uStride + ly.uPerm + t];
              if (pc === pg) continue;
              const pairs = [t - 1, t].map((p) => margin.get(`${g}/${p}/-1`) ?? Infinity);
              check(
                Math.min(...pairs) <= 1,
                `seed ${seed} K ${K} sweep ${sweep}: group ${g} exchange differs at temperature ${t} away from the threshold`,
              );
              near++;
              break;
            }
          }
          check(!unexplained, `seed ${seed} K ${K} sweep ${sweep}: ${unexplained}`);
          check(
            near <= Math.max(2, 0.005 * moves),
            `seed ${seed} K ${K} sweep ${sweep}: ${near} of ${moves} decisions differ near the threshold (bound 0.5 %)`,
          );
          check(diverged <= Math.max(2, 0.005 * moves), `seed ${seed}: ${diverged} replicas diverged`);
        }
      }
    },
  },
  {
    name: `bayes: full runs (2 spectra, K = 1..2, 150 + 150 sweeps) agree on F(K) within ${FREE_TOL} and on posterior means within 4 MC standard errors or sd / 4`,
    async run(engine) {
      const seed = freshSeed();
      const img = spectra(seed, 2, 151);
      const opts: BayesOptions = { kmax: 2, burnIn: 150, sweeps: 150, samples: 50, seed };
      const s = bayesSettings(opts, img.energy, img.data, 2);
      const c = await runRemc(new CpuRemcBackend(), s, img.energy, img.data, 2, 2);
      const g = await runRemc(new GpuRemcBackend(engine.gpu!), s, img.energy, img.data, 2, 2);
      for (let i = 0; i < 2; i++) {
        const rc = c.spectra[i]!;
        const rg = g.spectra[i]!;
        for (let k = 0; k < 2; k++)
          check(
            Math.abs(rc.free[k]! - rg.free[k]!) <= FREE_TOL,
            `seed ${seed} spectrum ${i}: F(${k + 1}) GPU ${rg.free[k]} vs CPU ${rc.free[k]}`,
          );
        if (rc.kSelected !== rg.kSelected) continue;
        rc.peaks.forEach((p, k) => {
          for (const name of ['height', 'position', 'b'] as const) {
            const a = p[name];
            const q = rg.peaks[k]![name];
            const mc = Math.hypot(a.mcse, q.mcse);
            const tol = Math.max(4 * mc, 0.25 * Math.max(a.sd, q.sd));
            check(
              Math.abs(a.mean - q.mean) <= tol,
              `seed ${seed} spectrum ${i} peak ${k + 1} ${name}: GPU ${q.mean} vs CPU ${a.mean} (tolerance ${tol})`,
            );
          }
        });
      }
    },
  },
];
