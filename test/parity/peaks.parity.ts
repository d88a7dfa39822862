// Per-pixel EM peak fitting: the WebGPU kernel against the float64 CPU reference on fresh random
// maps. Both apply the same convergence test (relative change <= tol, or below the float32
// rounding floor llFloor), but each evaluates it on its own arithmetic, so they stop within a few
// iterations of each other and agree to the convergence tolerance rather than to float32
// rounding. Stated tolerances, where both converged:
//   position  |gpu - cpu| <= 1 % of the channel width
//   FWHM      |gpu - cpu| <= 2e-3 x FWHM
//   area      |gpu - cpu| <= 2e-3 x area + 1e-4 x the pixel's total counts
//   loglik    |gpu - cpu| <= 5e-5 x the pixel's total counts (nats per count: where EM converges
//             slowly the two stop a few iterations apart, still climbing)
//   converged flags agree on >= 99 % of the pixels (or all but one slow pixel, where the side that
//             converged needed half the iteration budget); pixels without counts are NaN / 0 on both.
// The active Shirley case compares a fixed number of iterations instead (tol 0, llFloor 0: both run
// to maxIterations unless a state is an exact fixed point), every pixel, same tolerances: with the
// step, fits on these maps can converge slowly (one K = 6 map needed ~330 float64 iterations to its
// fixed point; with the default stopping rule both backends stopped ~50 iterations in, up to 20
// apart, each 0.03-0.05 channels short of it), so a comparison at the stopping points measures where
// the float32 rounding of the LL change lets each stop, not the kernel. The stopping rule with the
// step is tested on the GPU in test/methods/peaks/gpu.test.ts.
// The Tougaard case compares 10 iterations from a start off the truth (tol 0, llFloor 0), every pixel,
// same tolerances. Its density is fixed per pixel, so the iteration is exact EM and the float32 side
// stops early only where its LL change drops (rounding noise: those pixels have converged). With the
// default stopping rule, fits on these maps converge slowly along the ridge between the Tougaard
// density, the uniform background and the peaks' tails (up to ~50 iterations for K = 7), the GPU
// stopped ~10 % earlier (its float32 LL change turns negative first), and on K = 7 maps the two stopping
// points were up to 0.016 channels and 5.9e-3 in FWHM apart: again the stopping rule, not the kernel.
import type { ParityCase } from './types.js';
import { check } from './types.js';
import { openEngine, type Engine } from '../../src/engine/index.js';
import { fitPeaks, type PeakFitOptions, type PeakFitResult } from '../../src/methods/peaks/index.js';
import { randomPeakMap } from '../methods/peaks/random-map.js';
import { isUniformAxis, tougaardDensitiesGpu } from '../../src/methods/peaks/gpu.js';
import { tougaardTemplate } from '../../src/methods/peaks/components.js';
import { resolvePeaks, tougaardOf } from '../../src/methods/peaks/model.js';
import type { SpectrumImage } from '../../src/data/types.js';

/** The GPU's Tougaard densities (both kernels' layouts) against the float64 template, every pixel:
 * within TOUGAARD_DENSITY_TOLERANCE of the pixel's largest density (float32 sums of <= 280 terms;
 * measured <= 1.1e-6 over 4 runs; a 1 % error in C shows as 1.1e-5),
 * exactly 0 where the reference is all 0. Returns the largest deviation found. */
export const TOUGAARD_DENSITY_TOLERANCE = 1e-5;
async function checkTougaardDensities(
  engine: Engine,
  image: SpectrumImage,
  options: PeakFitOptions,
  label: string,
): Promise<number> {
  const m = resolvePeaks(options, image.energy);
  const t = tougaardOf(m)!;
  const C = image.channels;
  let worst = 0;
  for (const gpuKernel of KERNELS) {
    const g = await tougaardDensitiesGpu(engine.gpu!, { ...m, gpuKernel }, image.energy, image.data);
    for (let p = 0; p < image.ny * image.nx; p++) {
      const ref = tougaardTemplate(image.energy, image.data.subarray(p * C, (p + 1) * C), t.sign, m.tougaardC);
      const top = ref.reduce((a, b) => Math.max(a, b), 0);
      for (let n = 0; n < C; n++) {
        const v = g[p * C + n]!;
        if (top === 0)
          check(
            v === 0,
            `${label}, ${gpuKernel} layout: pixel ${p} has no Tougaard density on the CPU but ${v} at channel ${n} on the GPU`,
          );
        else {
          const d = Math.abs(v - ref[n]!) / top;
          check(
            d <= TOUGAARD_DENSITY_TOLERANCE,
            `${label}, ${gpuKernel} layout: pixel ${p} channel ${n}: Tougaard density ${v} on the GPU, ${ref[n]} on the CPU (${d.toExponential(2)} of its maximum)`,
          );
          worst = Math.max(worst, d);
        }
      }
    }
  }
  return worst;
}

export const PEAKS_TOLERANCE = {
  positionChannels: 0.01,
  fwhmRel: 2e-3,
  areaRel: 2e-3,
  areaOfTotal: 1e-4,
  loglikPerCount: 5e-5,
  convergedAgree: 0.99,
};

/** Largest deviations of the GPU fit from the CPU fit, over pixels where both converged, and the
 * tolerances they break (none: `bad` is empty). */
export function compareFits(
  cpu: PeakFitResult,
  gpu: PeakFitResult,
  step: number,
  opts: { fixedIterations?: boolean } = {},
): { bad: string[]; worst: Record<string, number> } {
  const T = PEAKS_TOLERANCE;
  const P = cpu.ny * cpu.nx;
  const bad: string[] = [];
  // Fixed iterations (tol 0, llFloor 0): every fitted pixel is compared, whatever its flag (a side may
  // stop early on an exact fixed point, the same parameters).
  const fixed = opts.fixedIterations === true;
  const cc = cpu.maps.converged!.data;
  const gc = gpu.maps.converged!.data;
  const ci = cpu.maps.iterations!.data;
  const gi = gpu.maps.iterations!.data;
  let agree = 0;
  let slow = 0;
  for (let p = 0; p < P; p++) {
    if (cc[p] === gc[p]) {
      agree++;
      continue;
    }
    // One side converged, the other ran out of iterations: excusable only on a slowly converging
    // pixel (the converged side needed at least half the budget), where the two arithmetics
    // legitimately stop far apart; a fast pixel that one side fails to finish is a kernel bug.
    const [done, budget] = cc[p] === 1 ? [ci[p]!, gi[p]!] : [gi[p]!, ci[p]!];
    if (fixed || done >= budget / 2) slow++;
    else bad.push(`pixel ${p}: converged cpu ${cc[p]} (${ci[p]} iterations) / gpu ${gc[p]} (${gi[p]} iterations)`);
  }
  if (!fixed && slow > Math.max(1, (1 - T.convergedAgree) * P))
    bad.push(
      `converged flags differ on ${slow} slow pixels of ${P} (more than ${(1 - T.convergedAgree) * 100} % or one)`,
    );
  const total = (p: number) =>
    cpu.model.names.reduce((s, n) => s + cpu.maps[`${n}_area`]!.data[p]!, 0) + cpu.maps.background!.data[p]!;
  const worst = { pos: 0, fwhm: 0, area: 0, ll: 0 };
  const where = { pos: -1, fwhm: -1, area: -1, ll: -1 };
  const note = (key: keyof typeof worst, v: number, p: number) => {
    if (!(v <= worst[key])) {
      worst[key] = v;
      where[key] = p;
    }
  };
  for (let p = 0; p < P; p++) {
    const empty = Number.isNaN(cpu.maps.loglik!.data[p]!);
    if (empty) {
      for (const [name, m] of Object.entries(gpu.maps)) {
        const v = m.data[p]!;
        if (name === 'converged' || name === 'iterations' ? v !== 0 : !Number.isNaN(v))
          bad.push(`empty pixel ${p}: gpu ${name} = ${v}`);
      }
      continue;
    }
    if (!fixed && !(cc[p] === 1 && gc[p] === 1)) continue;
    for (const n of cpu.model.names) {
      const a = (k: string) => cpu.maps[`${n}_${k}`]!.data[p]!;
      const b = (k: string) => gpu.maps[`${n}_${k}`]!.data[p]!;
      note('pos', Math.abs(a('position') - b('position')) / step, p);
      note('fwhm', Math.abs(a('fwhm') - b('fwhm')) / a('fwhm'), p);
      note('area', Math.abs(a('area') - b('area')) / (T.areaRel * a('area') + T.areaOfTotal * total(p)), p);
    }
    note('ll', Math.abs(cpu.maps.loglik!.data[p]! - gpu.maps.loglik!.data[p]!) / total(p), p);
  }
  const say = (what: string, v: number, lim: number, p: number) => {
    if (!(v <= lim)) bad.push(`${what} ${v.toExponential(3)} > ${lim} at pixel ${p}`);
  };
  say('position error / channel width', worst.pos, T.positionChannels, where.pos);
  say('relative FWHM error', worst.fwhm, T.fwhmRel, where.fwhm);
  say('area error / (2e-3 area + 1e-4 total)', worst.area, 1, where.area);
  say('loglik error per count', worst.ll, T.loglikPerCount, where.ll);
  return {
    bad,
    worst: {
      positionChannels: worst.pos,
      fwhmRel: worst.fwhm,
      areaScaled: worst.area,
      loglikPerCount: worst.ll,
      convergedAgree: agree / P,
    },
  };
}

async function both(
  engine: Engine,
  image: SpectrumImage,
  options: PeakFitOptions,
): Promise<{ cpu: PeakFitResult; gpu: PeakFitResult }> {
  const cpuEngine = await openEngine({ backend: 'cpu', log: () => undefined });
  const cpu = await fitPeaks(cpuEngine, image, options);
  const gpu = await fitPeaks(engine, image, options);
  check(gpu.backend === 'webgpu' && cpu.backend === 'cpu', `backends were ${gpu.backend} / ${cpu.backend}`);
  return { cpu, gpu };
}

const KERNELS = ['pixel', 'workgroup'] as const;

function report(label: string, seed: number, bad: string[]): void {
  check(bad.length === 0, `${label} (seed ${seed}): ${bad.slice(0, 6).join('; ')}`);
}

export const cases: ParityCase[] = [
  {
    name: 'peaks: 2-3 free Gaussians + linear background on a random 64-256 pixel map (one pixel without counts) on a descending axis, both kernels',
    async run(engine) {
      const K = 2 + Math.floor(Math.random() * 2);
      const pixels = 64 + Math.floor(Math.random() * 193);
      // Binding-energy order: the kernels compute x_n = x_0 + n h with h < 0 (gpu.ts isUniformAxis).
      const map = randomPeakMap({ pixels, K, descending: true });
      check(isUniformAxis(map.image.energy), 'the descending axis should count as evenly spaced');
      const C = map.image.channels;
      map.image.data.fill(0, 5 * C, 6 * C);
      const options: PeakFitOptions = { peaks: K, starts: 4, seed: map.seed };
      const { cpu, gpu } = await both(engine, map.image, options);
      report(`K=${K}, ${pixels} pixels, ${C} channels, pixel kernel`, map.seed, compareFits(cpu, gpu, map.step).bad);
      const wg = await fitPeaks(engine, map.image, { ...options, gpuKernel: 'workgroup' });
      report(`K=${K}, ${pixels} pixels, ${C} channels, workgroup kernel`, map.seed, compareFits(cpu, wg, map.step).bad);
    },
  },
  {
    name: 'peaks: linked doublet + shared width + bounded peak + fixed peak (user start) on an uneven energy axis, both kernels',
    async run(engine) {
      // Uneven axis: the kernels load x_n instead of computing it (gpu.ts isUniformAxis).
      const map = randomPeakMap({ pixels: 64, K: 3, jitter: 0.5 });
      check(!isUniformAxis(map.image.energy), 'the jittered axis should not count as uniform');
      const [p1, p2, p3] = map.positions as [number, number, number];
      const w = map.sigmas.map((s) => s * 2.3548);
      const options: PeakFitOptions = {
        peaks: [
          { name: 'a', position: p1, fwhm: w[0], bounds: [p1 - 2 * map.step, p1 + 2 * map.step] },
          // The data's second peak as a's doublet partner: the true split and area ratio.
          { name: 'b', link: { peak: 'a', split: p2 - p1, ratio: map.areas[1]! / map.areas[0]! } },
          { name: 'c', position: p3, fwhm: w[2], fixed: true },
        ],
        sharedWidth: true,
        background: ['uniform', 'rampUp'],
        init: 'user',
      };
      const { cpu, gpu } = await both(engine, map.image, options);
      report('options, pixel kernel', map.seed, compareFits(cpu, gpu, map.step).bad);
      const wg = await fitPeaks(engine, map.image, { ...options, gpuKernel: 'workgroup' });
      report('options, workgroup kernel', map.seed, compareFits(cpu, wg, map.step).bad);
      const c = gpu.maps.c_position!.data;
      const moved = c.reduce((w, v) => Math.max(w, Math.abs(v - p3)), 0);
      check(
        moved <= 1e-6 * Math.abs(p3) + 1e-4 * map.step,
        `fixed peak moved on the GPU by ${moved} (float32 scaling round trip allows ${1e-6 * Math.abs(p3) + 1e-4 * map.step})`,
      );
    },
  },
  {
    name: 'peaks: 5-8 Gaussians with all three background components, and on background-free data with none (every vec4 lane group), user start',
    async run(engine) {
      const K = 5 + Math.floor(Math.random() * 4);
      for (const background of [['uniform', 'rampUp', 'rampDown'], []] as const) {
        const map = randomPeakMap({ pixels: 64, K, channels: 320, background: background.length > 0 });
        const peaks = map.positions.map((position, k) => ({ position, fwhm: map.sigmas[k]! * 2.3548 }));
        const options: PeakFitOptions = { peaks, background: [...background], init: 'user', maxIterations: 2000 };
        const { cpu, gpu } = await both(engine, map.image, options);
        report(`K=${K}, background [${background.join(', ')}]`, map.seed, compareFits(cpu, gpu, map.step).bad);
      }
    },
  },
  {
    name: 'peaks: active Shirley step (shirley + uniform, and uniform + shirleyKE on the mirrored axis) on random maps with a Shirley step, 1-7 peaks, both kernels',
    async run(engine) {
      // K = 1..7: the step's coefficients sit in lane group 0 or 1 and its own lane (K + 0 here, K + 1
      // on the mirrored axis below) in group 0, 1 or 2.
      const K = 1 + Math.floor(Math.random() * 7);
      const pixels = 48 + Math.floor(Math.random() * 49);
      const map = randomPeakMap({ pixels, K, step: 0.002 + 0.003 * Math.random() });
      const C = map.image.channels;
      map.image.data.fill(0, 3 * C, 4 * C);
      // A user start off the truth (a third of a channel, widths 20 % wide), so that the 30 iterations
      // move every parameter; no mean-spectrum fit (with tol 0 it would run its full 2000 iterations).
      const peaks = map.positions.map((position, k) => ({
        position: position + map.step / 3,
        fwhm: 1.2 * map.sigmas[k]! * 2.3548,
      }));
      const options: PeakFitOptions = {
        peaks,
        background: ['shirley', 'uniform'],
        init: 'user',
        tol: 0,
        llFloor: 0,
        maxIterations: 30,
      };
      const { cpu, gpu } = await both(engine, map.image, options);
      const fixedIterations = { fixedIterations: true };
      report(
        `shirley, K=${K}, ${pixels} pixels, ${C} channels, pixel kernel`,
        map.seed,
        compareFits(cpu, gpu, map.step, fixedIterations).bad,
      );
      const wg = await fitPeaks(engine, map.image, { ...options, gpuKernel: 'workgroup' });
      report(
        `shirley, K=${K}, ${pixels} pixels, ${C} channels, workgroup kernel`,
        map.seed,
        compareFits(cpu, wg, map.step, fixedIterations).bad,
      );
      // The same spectra on the energy axis mirrored (x -> -x, so stored descending): the step now
      // rises towards lower x, which is 'shirleyKE'; listed second, its lane is K + 1.
      const mirrored = { ...map.image, energy: map.image.energy.map((e) => -e) };
      const ke: PeakFitOptions = {
        ...options,
        peaks: peaks.map((p) => ({ ...p, position: -p.position })),
        background: ['uniform', 'shirleyKE'],
      };
      const m2 = await both(engine, mirrored, ke);
      report(
        `shirleyKE, K=${K}, mirrored axis, pixel kernel`,
        map.seed,
        compareFits(m2.cpu, m2.gpu, map.step, fixedIterations).bad,
      );
    },
  },
  {
    name: 'peaks: Tougaard background (tougaard + uniform, and uniform + tougaardKE on the mirrored axis) on random maps with a Tougaard background, 1-7 peaks, both kernels; a pixel without a Tougaard density',
    async run(engine) {
      // K = 1..7: the Tougaard lane (K + 0, or K + 1 on the mirrored axis) in lane group 0, 1 or 2.
      const K = 1 + Math.floor(Math.random() * 7);
      const pixels = 48 + Math.floor(Math.random() * 49);
      const map = randomPeakMap({ pixels, K, tougaard: 2866 * (2 + 8 * Math.random()) });
      const C = map.image.channels;
      map.image.data.fill(0, 3 * C, 4 * C);
      // Pixel 5 has counts only in its highest-energy channel: nothing lies on any channel's loss side,
      // so its Tougaard density is 0 (weight and area 0 on both backends, the rest fitted).
      map.image.data.fill(0, 5 * C, 6 * C);
      map.image.data[6 * C - 1] = 40;
      const peaks = map.positions.map((position, k) => ({
        position: position + map.step / 3,
        fwhm: 1.2 * map.sigmas[k]! * 2.3548,
      }));
      // A fixed number of iterations (as the Shirley case; see the header).
      const options: PeakFitOptions = {
        peaks,
        background: ['tougaard', 'uniform'],
        init: 'user',
        tol: 0,
        llFloor: 0,
        maxIterations: 10,
      };
      const fixedIterations = { fixedIterations: true };
      const zeroDensity = (r: PeakFitResult, what: string) => {
        const a = r.maps[`background_${r.model.background.find((b) => b.startsWith('tougaard'))}`]!.data[5]!;
        check(a === 0, `${what}: the pixel without a Tougaard density has Tougaard area ${a}, expected 0`);
        // (Every map but the peaks' fractions, 0/0 when the peaks take none of the counts, as in any fit.)
        for (const [name, m] of Object.entries(r.maps))
          if (!name.endsWith('_fraction'))
            check(Number.isFinite(m.data[5]!), `${what}: pixel 5 ${name} = ${m.data[5]}`);
      };
      await checkTougaardDensities(engine, map.image, options, `tougaard, K=${K} (seed ${map.seed})`);
      const { cpu, gpu } = await both(engine, map.image, options);
      zeroDensity(cpu, 'cpu');
      zeroDensity(gpu, 'gpu pixel kernel');
      // Pixel 5 is checked above; compareFits sees it as not fitted on both sides.
      const other = (r: PeakFitResult) => ({
        ...r,
        maps: Object.fromEntries(
          Object.entries(r.maps).map(([n, m]) => [
            n,
            { ...m, data: m.data.map((v, p) => (p === 5 ? (n === 'converged' || n === 'iterations' ? 0 : NaN) : v)) },
          ]),
        ),
      });
      report(
        `tougaard, K=${K}, ${pixels} pixels, ${C} channels, pixel kernel`,
        map.seed,
        compareFits(other(cpu), other(gpu), map.step, fixedIterations).bad,
      );
      const wg = await fitPeaks(engine, map.image, { ...options, gpuKernel: 'workgroup' });
      zeroDensity(wg, 'gpu workgroup kernel');
      report(
        `tougaard, K=${K}, ${pixels} pixels, ${C} channels, workgroup kernel`,
        map.seed,
        compareFits(other(cpu), other(wg), map.step, fixedIterations).bad,
      );
      // The mirrored axis (x -> -x, stored descending): losses now lie towards lower x, 'tougaardKE',
      // listed second (lane K + 1); pixel 5's counts sit in its lowest-x channel, still no density.
      const mirrored = { ...map.image, energy: map.image.energy.map((e) => -e) };
      const ke: PeakFitOptions = {
        ...options,
        peaks: peaks.map((p) => ({ ...p, position: -p.position })),
        background: ['uniform', 'tougaardKE'],
      };
      await checkTougaardDensities(engine, mirrored, ke, `tougaardKE, mirrored axis (seed ${map.seed})`);
      const m2 = await both(engine, mirrored, ke);
      zeroDensity(m2.cpu, 'cpu, mirrored');
      zeroDensity(m2.gpu, 'gpu, mirrored');
      report(
        `tougaardKE, K=${K}, mirrored axis, pixel kernel`,
        map.seed,
        compareFits(other(m2.cpu), other(m2.gpu), map.step, fixedIterations).bad,
      );
    },
  },
  {
    name: 'peaks: GPU chunked (7 pixels per chunk) equals unchunked exactly, for both kernels, with a linear and a Tougaard background; every output written',
    async run(engine) {
      for (const gpuKernel of KERNELS)
        for (const tougaard of [false, true]) await chunkedEqualsWhole(engine, gpuKernel, tougaard);
    },
  },
];

async function chunkedEqualsWhole(
  engine: Engine,
  gpuKernel: (typeof KERNELS)[number],
  tougaard: boolean,
): Promise<void> {
  // With a Tougaard component each chunk's densities sit at offset (chunk pixels) x C of its scratch.
  const map = randomPeakMap({ pixels: 40, K: 2, tougaard: tougaard ? 2866 * 5 : 0 });
  const opts: PeakFitOptions = {
    peaks: 2,
    starts: 2,
    seed: map.seed,
    gpuKernel,
    ...(tougaard ? { background: ['tougaard', 'uniform'] } : {}),
  };
  const whole = await fitPeaks(engine, map.image, opts);
  const chunked = await fitPeaks(engine, map.image, { ...opts, maxChunkPixels: 7 });
  for (const [name, m] of Object.entries(whole.maps)) {
    const c = chunked.maps[name]!.data;
    for (let p = 0; p < m.data.length; p++) {
      check(Number.isFinite(m.data[p]!), `unchunked ${name}[${p}] = ${m.data[p]} (unwritten output?)`);
      check(
        Object.is(m.data[p], c[p]),
        `${gpuKernel} kernel${tougaard ? ', tougaard' : ''}: chunked ${name}[${p}] = ${c[p]} but unchunked ${m.data[p]}`,
      );
    }
  }
}
