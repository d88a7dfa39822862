// Per-pixel peak fitting by spectrum-adapted EM (Matsumura et al., STAM 20, 733 (2019)):
// the options a caller gives, their defaults and validation, the resolved model both backends
// run, and the result type.
//
// A spectrum is a weighted histogram: channel n at energy x_n carries weight y_n (counts >= 0).
// Components are densities normalised over the measured window [lo, hi] (the outer channel
// edges): K Gaussians truncated to the window, and background components
//   uniform   1/L,   rampUp  2(x - lo)/L^2,   rampDown  2(hi - x)/L^2     (L = hi - lo),
// and the active Shirley step: the Gaussian-smoothed step implied by the current peaks,
//   shirley   f_S(x) = sum_k pi_k Phi(s (x - c_k)/sigma_k) / sum_k pi_k integral_window Phi(...),
// rising towards higher x ('shirley', s = +1: a binding-energy axis) or lower x ('shirleyKE',
// s = -1: a kinetic-energy axis). Its shape follows the peaks each iteration (em.ts).
// And Tougaard's universal background of the measured spectrum,
//   tougaard  f_T(x_n) proportional to sum_m K(T_nm) y_m,  K(T) = T / (C + T^2)^2,  T_nm = s (x_n - x_m) > 0,
// derived once per pixel from that pixel's counts and normalised over the window (components.ts
// tougaardTemplate; 'tougaard' for a binding-energy axis, 'tougaardKE' for kinetic energy).
// Mixing weights pi_k (sum 1) times the spectrum's total counts give each component's counts.

import { InputError } from '../../engine/errors.js';
import type { MapSet } from '../../data/types.js';
import type { BackgroundChoice } from './auto-background.js';
import { resolveComponents, TOUGAARD_C, type Component } from './components.js';
import { optionValue, type OptionTable } from '../option-table.js';
import type { MethodTiming } from '../contract.js';

export type GpuKernel = 'pixel' | 'workgroup';

export const LINEAR_BACKGROUNDS = ['uniform', 'rampUp', 'rampDown'] as const;
export type LinearBackground = (typeof LINEAR_BACKGROUNDS)[number];
/** The active Shirley step, by the side it rises towards: 'shirley' higher x (binding energy, as
 * XPS reports it: inelastically scattered electrons lose kinetic energy, so they appear on the
 * high-binding-energy side of each peak), 'shirleyKE' lower x (a kinetic-energy axis). The energy
 * axis itself says nothing about which it is (ascending or descending storage is either), so the
 * name says it. At most one per fit. */
export const SHIRLEY_BACKGROUNDS = ['shirley', 'shirleyKE'] as const;
export type ShirleyBackground = (typeof SHIRLEY_BACKGROUNDS)[number];
/** Tougaard's universal background of the measured spectrum, by the side its losses appear on:
 * 'tougaard' higher x (binding energy), 'tougaardKE' lower x (kinetic energy). At most one per fit,
 * and not with a Shirley step (both model the same inelastic losses). */
export const TOUGAARD_BACKGROUNDS = ['tougaard', 'tougaardKE'] as const;
export type TougaardBackground = (typeof TOUGAARD_BACKGROUNDS)[number];
export const BACKGROUND_COMPONENTS = [...LINEAR_BACKGROUNDS, ...SHIRLEY_BACKGROUNDS, ...TOUGAARD_BACKGROUNDS] as const;
export type BackgroundComponent = LinearBackground | ShirleyBackground | TougaardBackground;

export function isShirley(b: BackgroundComponent): b is ShirleyBackground {
  return (SHIRLEY_BACKGROUNDS as readonly string[]).includes(b);
}

export function isTougaard(b: BackgroundComponent): b is TougaardBackground {
  return (TOUGAARD_BACKGROUNDS as readonly string[]).includes(b);
}

/** The model's Tougaard component: its index among the background components and the side its
 * losses lie on (+1: higher x); null without one. */
export function tougaardOf(m: { background: BackgroundComponent[] }): { index: number; sign: 1 | -1 } | null {
  const index = m.background.findIndex(isTougaard);
  if (index < 0) return null;
  return { index, sign: m.background[index] === 'tougaard' ? 1 : -1 };
}

/** The model's Shirley component: its index among the background components and the sign s of
 * its step (+1 rises towards higher x); null without one. */
export function shirleyOf(m: { background: BackgroundComponent[] }): { index: number; sign: 1 | -1 } | null {
  const index = m.background.findIndex(isShirley);
  if (index < 0) return null;
  return { index, sign: m.background[index] === 'shirley' ? 1 : -1 };
}

/** A doublet partner: this peak's position = partner's + split, same width, area = ratio × partner's area. */
export interface PeakLink {
  /** The partner: its index in `peaks` or its name. The partner must not itself be linked. */
  peak: number | string;
  /** Position offset from the partner (energy units; may be negative). */
  split: number;
  /** This peak's area divided by the partner's (> 0), e.g. Mo 3d3/2 : 3d5/2 = 2/3. */
  ratio: number;
}

export interface PeakSpec {
  /** Used in map names (`<name>_position` ...): letters, digits, '_' and '-'. Default p1, p2, ... */
  name?: string;
  /** Starting position (energy units). Omitted: found by the multi-start fit of the mean spectrum. */
  position?: number;
  /** Starting FWHM (energy units). */
  fwhm?: number;
  /** Keep the position at `position` (required then). */
  fixed?: boolean;
  /** Position bounds [min, max] (energy units); the M-step clips to them. Default: the window. */
  bounds?: [number, number];
  /** Tie this peak to another as a spin-orbit doublet (fixed split, shared width, fixed area ratio). */
  link?: PeakLink;
}

export interface PeakFitOptions {
  /** The peaks, or just how many (all free, started by the multi-start mean-spectrum fit). */
  peaks: PeakSpec[] | number;
  /** Background components (any subset, may be empty). Default ['rampUp', 'rampDown'], which spans every
   * non-negative linear background (uniform = their average, so adding it only makes the split non-unique).
   * 'shirley' / 'shirleyKE' add the active Shirley step (one of them; usually with 'uniform' for the
   * flat part: the step alone is ~0 on its low side). 'tougaard' / 'tougaardKE' add Tougaard's
   * universal background of each pixel's measured counts (one of them, not with a Shirley step; usually
   * with 'uniform'). 'auto' (fitPeaks only): the Shirley step with 'uniform' where the mean spectrum
   * shows a step on the side the axis implies, the ramps otherwise (auto-background.ts; the choice is
   * in the result's backgroundChoice). */
  background?: BackgroundComponent[] | 'auto';
  /** Tougaard's C in the energy axis' units squared (> 0). Default 1643, the universal value in eV^2:
   * it means something only on an axis in eV. */
  tougaardC?: number;
  /** One width (sigma) pooled across all peaks. Default false (linked doublets always share theirs). */
  sharedWidth?: boolean;
  /** Bounds on each Gaussian's sigma (energy units). Default [channel width / 2, window length]. */
  sigmaBounds?: [number, number];
  /** Most EM iterations (M-steps) per pixel. Default 500. */
  maxIterations?: number;
  /** Stop when |LL_t - LL_{t-1}| <= tol * |LL_t| (EMPeaks' criterion). Default 1e-9. */
  tol?: number;
  /** ...or when |LL_t - LL_{t-1}| <= llFloor * sqrt(sum_n (y_n (|l_n| + 1))^2), l_n the log mixture density of
   * channel n on the scaled axis (x - centre) / (L/2): a change that float32 cannot resolve (each
   * channel's log-mixture carries a rounding error of a few ulp of |l_n| + 1). Both backends apply it,
   * so they stop at the same point. Default 2^-22; 0 = tol alone (the float32 GPU kernel then
   * stops only on exact float32 fixed points or at maxIterations). Either backend also stops,
   * converged, when the log-likelihood drops after the first M-step: exact EM never lowers it, so a
   * drop is rounding noise (a float32 state can 2-cycle just above the floor). With a Shirley
   * component the iteration is not exact EM and may approach its fixed point from above: only a
   * drop no larger than the stopping threshold's SHIRLEY_DROP_FACTOR times counts (em.ts). */
  llFloor?: number;
  /** 'mean' (default): every pixel starts from a multi-start fit of the mean spectrum (itself started
   * from the user's values where given). 'user': every pixel starts from the user's positions and
   * FWHMs (all required) with equal weights. */
  init?: 'mean' | 'user';
  /** Random starts of the mean-spectrum fit (the first start is deterministic). Default 8. */
  starts?: number;
  /** Seed of the random starts. Default 1. */
  seed?: number;
  /** Negative counts: 'error' (default) stops naming the first pixel; 'clip' sets them to 0. */
  negative?: 'error' | 'clip';
  /** Pixels to fit, length ny·nx (row-major): non-zero = fit. The others are not fitted (NaN in every
   * float map, converged 0, iterations 0, as pixels without counts), are left out of the mean
   * spectrum, and are not checked (they may hold NaN: dead pixels). Default: every pixel. */
  pixelMask?: ArrayLike<number>;
  /** Pixels per GPU chunk at most (for tests of the chunking; default: what fits the device). */
  maxChunkPixels?: number;
  /** GPU kernel: 'pixel' (default; one thread per pixel, no barriers) or 'workgroup' (one workgroup
   * per pixel, threads over channels, tree reduction; for hardware GPUs with few pixels). */
  gpuKernel?: GpuKernel;
}

/** Every option of fitPeaks: type, bounds, default, CLI flag and help (the CLI is made from it). */
export const PEAK_OPTIONS = {
  peaks: {
    kind: 'text',
    flag: 'peaks',
    multiple: true,
    meta: 'SPEC',
    help: `the peaks, comma-separated (repeatable):
  228.0,231.1           starting positions
  228.0:227.5-228.5     a position bounded to [227.5, 228.5]
  228.0!                a fixed position
  228.0@0.9             a starting FWHM
  Mo=228.0              a name (map files Mo_position.npy ...)
  auto:2                2 peaks found from the mean spectrum`,
  },
  sharedWidth: { kind: 'boolean', default: false, flag: 'shared-width', help: 'one width for all peaks' },
  background: {
    kind: 'text',
    flag: 'background',
    meta: 'LIST',
    defaultText:
      'auto on the command line: shirley,uniform (or uniform,shirleyKE) where the mean spectrum shows a step on ' +
      'the side the axis implies, ramps otherwise, printed and recorded in summary.json; ramps in the library',
    help:
      'auto, or a list of: uniform, ramps (rising + falling: any linear background), rampUp, rampDown, shirley (the Shirley step ' +
      'of the fitted peaks, rising towards higher energy: binding energy; usually shirley,uniform), shirleyKE ' +
      "(rising towards lower energy: kinetic energy), tougaard (Tougaard's universal background of each " +
      "pixel's counts, losses towards higher energy: binding energy; usually tougaard,uniform), tougaardKE " +
      '(losses towards lower energy: kinetic energy); one Shirley or Tougaard component at most; ' +
      'comma-separated, or none; shirley or tougaard alone is refused where the data have a level it cannot hold',
  },
  tougaardC: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    default: TOUGAARD_C,
    flag: 'tougaard-c',
    meta: 'C',
    defaultText: `${TOUGAARD_C}, the universal value in eV^2: the energy axis must be in eV for it to mean that`,
    help: "Tougaard's C in (energy unit)^2; only with a tougaard or tougaardKE background",
  },
  init: {
    kind: 'choice',
    choices: ['mean', 'user'] as const,
    default: 'mean',
    flag: 'init',
    meta: 'mean|user',
    help:
      'start every pixel from a multi-start fit of the mean spectrum (mean), or from the given positions ' +
      'and FWHMs (user: all needed)',
  },
  starts: {
    kind: 'integer',
    min: 1,
    max: 1000,
    default: 8,
    flag: 'starts',
    meta: 'N',
    help: 'random starts of the mean-spectrum fit',
  },
  seed: {
    kind: 'integer',
    min: 0,
    max: 0xffffffff,
    default: 1,
    flag: 'seed',
    meta: 'N',
    help: 'seed of the random starts',
  },
  maxIterations: {
    kind: 'integer',
    min: 1,
    max: 1e6,
    default: 500,
    flag: 'max-iter',
    meta: 'N',
    help: 'most EM iterations per pixel',
  },
  tol: {
    kind: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    default: 1e-9,
    flag: 'tol',
    meta: 'T',
    help: 'stop when |ΔlogL| <= T·|logL| ...',
  },
  llFloor: {
    kind: 'number',
    min: 0,
    max: 0.5,
    default: 2 ** -22,
    flag: 'll-floor',
    meta: 'F',
    defaultText: '2^-22',
    help: '... or below F × the float32 rounding scale of logL (0 = T alone, then float32 pixels may run to --max-iter)',
  },
  negative: {
    kind: 'choice',
    choices: ['error', 'clip'] as const,
    default: 'error',
    flag: 'negative',
    meta: 'error|clip',
    help: 'negative counts stop the run (error) or are set to 0 (clip)',
  },
  gpuKernel: {
    kind: 'choice',
    choices: ['pixel', 'workgroup'] as const,
    default: 'pixel',
    help: 'GPU kernel: one thread per pixel, or one workgroup per pixel',
  },
} satisfies OptionTable;

/** The defaults of PEAK_OPTIONS. */
export const PEAK_FIT_DEFAULTS = {
  background: ['rampUp', 'rampDown'] as BackgroundComponent[],
  sharedWidth: PEAK_OPTIONS.sharedWidth.default,
  maxIterations: PEAK_OPTIONS.maxIterations.default,
  tol: PEAK_OPTIONS.tol.default,
  llFloor: PEAK_OPTIONS.llFloor.default,
  init: PEAK_OPTIONS.init.default,
  starts: PEAK_OPTIONS.starts.default,
  seed: PEAK_OPTIONS.seed.default,
  negative: PEAK_OPTIONS.negative.default,
  tougaardC: PEAK_OPTIONS.tougaardC.default,
};

/** Most Gaussian peaks one fit may have (the GPU kernels hold peaks in two vec4 groups). */
export const MAX_PEAKS = 8;

/** sigma = FWHM / (2 sqrt(2 ln 2)). */
export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/** The measured window and channel geometry of an energy axis. */
export interface EnergyWindow {
  /** Outer channel edges: lo < hi (energy units). */
  lo: number;
  hi: number;
  /** Smallest spacing between neighbouring channels. */
  minStep: number;
  /** True when the axis is ascending. */
  ascending: boolean;
}

/** What both backends run: one entry per peak, groups resolved, every default filled in. */
export interface ResolvedPeaks {
  names: string[];
  /** Number of Gaussian peaks K. */
  K: number;
  /** Position group of each peak: linked peaks share their partner's group. Groups are numbered
   * 0..G-1 in the order of their base (unlinked) peak. */
  group: number[];
  /** Offset of each peak's position from its group position (0 for the base peak). */
  offset: number[];
  /** Area of each peak relative to its group's base peak (1 for the base peak). */
  ratio: number[];
  /** Per group: position fixed, and position bounds (energy units). */
  groupFixed: boolean[];
  groupBounds: [number, number][];
  /** Base peak of each group. */
  groupBase: number[];
  sharedWidth: boolean;
  background: BackgroundComponent[];
  /** Every component of the mixture, peaks (by index k) then background components (by index b):
   * its kind, role and place; components.ts holds each kind's formulas. */
  components: Component[];
  /** Tougaard's C (axis units squared); used only with a Tougaard component. */
  tougaardC: number;
  sigmaBounds: [number, number];
  maxIterations: number;
  tol: number;
  llFloor: number;
  init: 'mean' | 'user';
  starts: number;
  seed: number;
  negative: 'error' | 'clip';
  window: EnergyWindow;
  /** User starting values per peak (NaN where not given). */
  startPosition: number[];
  startFwhm: number[];
  maxChunkPixels: number;
  gpuKernel: GpuKernel;
}

/** Parameters of one fit, in energy units: per peak position and sigma, then weights for the peaks
 * followed by the background components (sum 1). */
export interface PeakParams {
  position: number[];
  sigma: number[];
  weight: number[];
}

export interface SpectrumFit {
  params: PeakParams;
  /** Log-likelihood sum_n y_n log(sum_k pi_k f_k(x_n)), densities per energy unit. */
  loglik: number;
  iterations: number;
  converged: boolean;
}

export interface MeanSpectrumFit extends SpectrumFit {
  /** The mean spectrum (over pixels with counts) that was fitted. */
  spectrum: Float64Array;
  /** Log-likelihood reached by each start (the best was kept). */
  startLoglik: number[];
}

export interface PeakFitResult {
  /** Per-pixel maps, each [ny, nx]: `<peak>_position` (energy units), `<peak>_fwhm`, `<peak>_area` (counts),
   * `<peak>_fraction` (area / sum of peak areas), `background` (counts), `background_<component>` (counts),
   * `loglik`, `iterations`, `converged` (1/0). Pixels without counts and pixels the mask leaves out:
   * converged 0, iterations 0, the rest NaN. */
  maps: MapSet;
  ny: number;
  nx: number;
  /** The fitted energy axis (the image's). */
  energy: Float64Array;
  /** The fit of the mean spectrum that seeded the pixels (null with init 'user'). */
  mean: MeanSpectrumFit | null;
  /** Only with a Tougaard component, whose density each pixel's own counts define: the fitted counts
   * [P][C] (as checked: clipped under negative 'clip'; masked pixels 0), for modelComponents. */
  spectra?: Float32Array;
  /** The pixels' common starting parameters. */
  start: PeakParams;
  model: ResolvedPeaks;
  backend: 'webgpu' | 'cpu';
  timing: MethodTiming;
  /** Only with background 'auto': what was chosen and why (auto-background.ts). */
  backgroundChoice?: BackgroundChoice;
  /** Notes on the fit a front end should show, one line each: doubts the data raise about the chosen
   * background, peaks of the mean-spectrum fit far from where they were asked for or much wider than
   * the others (assign.ts). */
  warnings: string[];
  /** Only with a pixel mask: 1 where `pixelMask` left the pixel out, [ny·nx]. */
  maskedPixels?: Uint8Array;
  /** `empty`: selected pixels without counts; `masked`: pixels `pixelMask` leaves out (neither is fitted). */
  summary: {
    pixels: number;
    converged: number;
    empty: number;
    masked: number;
    meanIterations: number;
    maxIterations: number;
  };
  /** FLOPs of one EM iteration of one pixel (exp/log/div counted as one each): for GFLOP/s. */
  flopsPerIteration: number;
}

const NAME_RE = /^[A-Za-z0-9_-]+$/;

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InputError(`${what} must be a finite number, got ${String(v)}`);
  return v;
}

/** The window spanned by an energy axis (strictly monotonic, at least 3 channels). */
export function energyWindow(energy: Float64Array | number[]): EnergyWindow {
  const n = energy.length;
  if (n < 3) throw new InputError(`peak fitting needs at least 3 channels, the energy axis has ${n}`);
  const ascending = energy[1]! > energy[0]!;
  let minStep = Infinity;
  for (let i = 0; i < n; i++) {
    const e = energy[i]!;
    if (!Number.isFinite(e)) throw new InputError(`energy axis value ${i} is ${e}: it must be finite`);
    if (i > 0) {
      const d = ascending ? e - energy[i - 1]! : energy[i - 1]! - e;
      if (!(d > 0))
        throw new InputError(`energy axis is not strictly monotonic at channel ${i} (${energy[i - 1]} then ${e})`);
      minStep = Math.min(minStep, d);
    }
  }
  const first = ascending ? energy[0]! : energy[n - 1]!;
  const second = ascending ? energy[1]! : energy[n - 2]!;
  const last = ascending ? energy[n - 1]! : energy[0]!;
  const beforeLast = ascending ? energy[n - 2]! : energy[1]!;
  return { lo: first - (second - first) / 2, hi: last + (last - beforeLast) / 2, minStep, ascending };
}

/** Validate options against an energy axis and resolve every default. Throws InputError naming the option. */
export function resolvePeaks(options: PeakFitOptions, energy: Float64Array | number[]): ResolvedPeaks {
  if (!options || typeof options !== 'object')
    throw new InputError('peak fit options must be an object with at least `peaks`');
  const window = energyWindow(energy);
  const L = window.hi - window.lo;
  const specs: PeakSpec[] =
    typeof options.peaks === 'number'
      ? (() => {
          const k = options.peaks;
          if (!Number.isInteger(k) || k < 1)
            throw new InputError(`peaks must be a positive integer or a list of peaks, got ${k}`);
          return Array.from({ length: k }, () => ({}));
        })()
      : Array.isArray(options.peaks)
        ? options.peaks
        : (() => {
            throw new InputError('peaks must be a number or a list of peak specifications');
          })();
  const K = specs.length;
  if (K < 1) throw new InputError('peaks: at least one peak is needed');
  if (K > MAX_PEAKS) throw new InputError(`peaks: at most ${MAX_PEAKS} peaks per fit, got ${K}`);

  const names = specs.map((s, i) => s.name ?? `p${i + 1}`);
  names.forEach((n, i) => {
    if (!NAME_RE.test(n)) throw new InputError(`peak ${i + 1} name '${n}' may only hold letters, digits, '_' and '-'`);
    if (names.indexOf(n) !== i) throw new InputError(`peak name '${n}' is used twice`);
  });
  const indexOf = (ref: number | string, who: string): number => {
    const j = typeof ref === 'number' ? ref : names.indexOf(ref);
    if (!Number.isInteger(j) || j < 0 || j >= K)
      throw new InputError(`peak '${who}' links to unknown peak ${JSON.stringify(ref)}`);
    return j;
  };

  const startPosition = specs.map((s, i) =>
    s.position === undefined ? NaN : finite(s.position, `peak '${names[i]}' position`),
  );
  const startFwhm = specs.map((s, i) => {
    if (s.fwhm === undefined) return NaN;
    const f = finite(s.fwhm, `peak '${names[i]}' fwhm`);
    if (f <= 0) throw new InputError(`peak '${names[i]}' fwhm must be > 0, got ${f}`);
    return f;
  });

  // Groups: one per unlinked peak, linked peaks join their partner's.
  const group = new Array<number>(K).fill(-1);
  const offset = new Array<number>(K).fill(0);
  const ratio = new Array<number>(K).fill(1);
  const groupBase: number[] = [];
  const groupFixed: boolean[] = [];
  const groupBounds: [number, number][] = [];
  for (let i = 0; i < K; i++) {
    const s = specs[i]!;
    if (s.link) continue;
    group[i] = groupBase.length;
    groupBase.push(i);
    const b: [number, number] = s.bounds
      ? [finite(s.bounds[0], `peak '${names[i]}' bounds[0]`), finite(s.bounds[1], `peak '${names[i]}' bounds[1]`)]
      : [window.lo, window.hi];
    if (!(b[0] < b[1])) throw new InputError(`peak '${names[i]}' bounds [${b[0]}, ${b[1]}] must have min < max`);
    if (s.fixed) {
      if (Number.isNaN(startPosition[i]!)) throw new InputError(`peak '${names[i]}' is fixed but has no position`);
    }
    if (!Number.isNaN(startPosition[i]!) && (startPosition[i]! < b[0] || startPosition[i]! > b[1]) && !s.fixed) {
      // Without bounds of its own a peak may range over the window: say so, not 'its bounds'.
      const where = s.bounds
        ? `its bounds [${b[0]}, ${b[1]}]`
        : `the measured energy range [${+b[0].toPrecision(7)}, ${+b[1].toPrecision(7)}] (the outer channel edges)`;
      throw new InputError(`peak '${names[i]}' position ${startPosition[i]} lies outside ${where}`);
    }
    groupFixed.push(!!s.fixed);
    groupBounds.push(b);
  }
  for (let i = 0; i < K; i++) {
    const s = specs[i]!;
    if (!s.link) continue;
    const j = indexOf(s.link.peak, names[i]!);
    if (j === i) throw new InputError(`peak '${names[i]}' cannot link to itself`);
    if (specs[j]!.link)
      throw new InputError(
        `peak '${names[i]}' links to '${names[j]}', which is itself linked: link both to the same base peak`,
      );
    if (s.fixed || s.bounds || s.position !== undefined || s.fwhm !== undefined) {
      throw new InputError(
        `peak '${names[i]}' is linked to '${names[j]}': its position and width follow '${names[j]}', so give position/fwhm/fixed/bounds there`,
      );
    }
    const split = finite(s.link.split, `peak '${names[i]}' link.split`);
    const r = finite(s.link.ratio, `peak '${names[i]}' link.ratio`);
    if (!(r > 0)) throw new InputError(`peak '${names[i]}' link.ratio must be > 0, got ${r}`);
    group[i] = group[j]!;
    offset[i] = split;
    ratio[i] = r;
  }

  // Two peaks fixed at one position with the same shape cannot be told apart.
  for (let g = 0; g < groupBase.length; g++)
    for (let h = 0; h < g; h++) {
      const [a, b] = [groupBase[h]!, groupBase[g]!];
      if (groupFixed[g] && groupFixed[h] && startPosition[a] === startPosition[b])
        throw new InputError(
          `peaks '${names[a]}' and '${names[b]}' are both fixed at ${startPosition[a]}: the fit cannot tell them apart; give one peak there`,
        );
    }

  const background = options.background ?? PEAK_FIT_DEFAULTS.background;
  if (background === 'auto')
    throw new InputError(
      `background 'auto' is chosen from the data: fitPeaks resolves it, resolvePeaks needs the list`,
    );
  if (!Array.isArray(background))
    throw new InputError(`background must be a list of ${BACKGROUND_COMPONENTS.join(', ')}`);
  background.forEach((b, i) => {
    if (!BACKGROUND_COMPONENTS.includes(b))
      throw new InputError(`background component '${b}' is unknown: use ${BACKGROUND_COMPONENTS.join(', ')}`);
    if (background.indexOf(b) !== i) throw new InputError(`background component '${b}' is listed twice`);
  });
  if (background.filter(isShirley).length > 1) {
    throw new InputError(
      `background: 'shirley' (the step rising towards higher energy: binding energy) and 'shirleyKE' (towards lower energy: kinetic energy) are two orientations of one step: use one`,
    );
  }
  if (background.filter(isTougaard).length > 1) {
    throw new InputError(
      `background: 'tougaard' (losses towards higher energy: binding energy) and 'tougaardKE' (towards lower energy: kinetic energy) are two orientations of one background: use one`,
    );
  }
  const inelastic = background.filter((b) => isShirley(b) || isTougaard(b));
  if (inelastic.length > 1) {
    throw new InputError(
      `background: '${inelastic[0]}' and '${inelastic[1]}' both model the inelastic losses of the peaks: use one`,
    );
  }
  const tougaardC = optionValue(PEAK_OPTIONS, 'tougaardC', options.tougaardC);

  const sigmaBounds: [number, number] = options.sigmaBounds
    ? [finite(options.sigmaBounds[0], 'sigmaBounds[0]'), finite(options.sigmaBounds[1], 'sigmaBounds[1]')]
    : [window.minStep / 2, L];
  if (!(sigmaBounds[0] > 0 && sigmaBounds[0] < sigmaBounds[1]))
    throw new InputError(`sigmaBounds [${sigmaBounds[0]}, ${sigmaBounds[1]}] must satisfy 0 < min < max`);

  const maxIterations = optionValue(PEAK_OPTIONS, 'maxIterations', options.maxIterations);
  const tol = optionValue(PEAK_OPTIONS, 'tol', options.tol);
  const llFloor = optionValue(PEAK_OPTIONS, 'llFloor', options.llFloor);
  const init = optionValue(PEAK_OPTIONS, 'init', options.init);
  if (init === 'user') {
    specs.forEach((s, i) => {
      if (s.link) return;
      if (Number.isNaN(startPosition[i]!) || Number.isNaN(startFwhm[i]!))
        throw new InputError(
          `init 'user' needs position and fwhm for peak '${names[i]}' (CLI: --peaks POSITION@FWHM, e.g. 229.3@1.0)`,
        );
    });
  }
  const starts = optionValue(PEAK_OPTIONS, 'starts', options.starts);
  const seed = optionValue(PEAK_OPTIONS, 'seed', options.seed);
  const negative = optionValue(PEAK_OPTIONS, 'negative', options.negative);
  const maxChunkPixels = options.maxChunkPixels ?? Infinity;
  if (!(maxChunkPixels >= 1)) throw new InputError(`maxChunkPixels must be >= 1, got ${maxChunkPixels}`);
  const C = energy.length;
  const free = freeParameters(groupFixed, options.sharedWidth ?? PEAK_FIT_DEFAULTS.sharedWidth, background.length);
  if (C <= free)
    throw new InputError(
      `the spectra have ${C} channels, not more than the model's ${free} free parameters (peak positions, widths, ` +
        `and the weights of the peaks and background components): give more channels, or fewer peaks or background components`,
    );
  const gpuKernel = optionValue(PEAK_OPTIONS, 'gpuKernel', options.gpuKernel);

  return {
    names,
    K,
    group,
    offset,
    ratio,
    groupFixed,
    groupBounds,
    groupBase,
    sharedWidth: optionValue(PEAK_OPTIONS, 'sharedWidth', options.sharedWidth),
    background: [...background],
    components: resolveComponents(names, background),
    tougaardC,
    sigmaBounds,
    maxIterations,
    tol,
    llFloor,
    init,
    starts,
    seed,
    negative,
    window,
    startPosition,
    startFwhm,
    maxChunkPixels,
    gpuKernel,
  };
}

/** Free parameters of a model: the positions of the groups not fixed, one width per width group,
 * and the mixing weights of the groups and background components less one (they sum to 1). */
export function freeParameters(groupFixed: boolean[], sharedWidth: boolean, backgrounds: number): number {
  const G = groupFixed.length;
  return groupFixed.filter((f) => !f).length + (sharedWidth ? 1 : G) + G + backgrounds - 1;
}

/** Width group of each peak: one for all when sharedWidth, else its position group. */
export function widthGroups(m: ResolvedPeaks): number[] {
  return m.group.map((g) => (m.sharedWidth ? 0 : g));
}
