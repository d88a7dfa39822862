// Per-pixel fit results, as both backends produce them, turned into named maps; and the fitted
// model of any pixel evaluated channel by channel (for plots and reports).

import type { MapSet } from '../../data/types.js';
import {
  backgroundDensity,
  channelWidths,
  gaussWindow,
  logGauss,
  shirleyCoefficients,
  shirleyDensity,
  tougaardTemplate,
} from './components.js';
import {
  FWHM_PER_SIGMA,
  isShirley,
  isTougaard,
  type PeakFitResult,
  type PeakParams,
  type ResolvedPeaks,
} from './model.js';

/** What a backend fits: every pixel of `data` ([P][C] counts, checked) from the same start. */
export interface PixelJob {
  m: ResolvedPeaks;
  energy: Float64Array;
  data: Float32Array;
  /** Total counts per pixel (0: not fitted). */
  totals: Float64Array;
  start: PeakParams;
}

/** Raw per-pixel results, component-major ([K][P] etc.), in energy units. */
export interface PixelFits {
  position: Float32Array;
  sigma: Float32Array;
  /** Weights pi, [(K + B)][P]. */
  weight: Float32Array;
  loglik: Float32Array;
  iterations: Float32Array;
  converged: Float32Array;
}

export function allocPixelFits(K: number, B: number, P: number): PixelFits {
  return {
    position: new Float32Array(K * P),
    sigma: new Float32Array(K * P),
    weight: new Float32Array((K + B) * P),
    loglik: new Float32Array(P),
    iterations: new Float32Array(P),
    converged: new Float32Array(P),
  };
}

/** The result maps; positions and FWHMs carry the energy axis' unit (`unit`: 'eV', 'keV', 'channel'). */
export function buildMaps(
  m: ResolvedPeaks,
  f: PixelFits,
  totals: Float64Array,
  ny: number,
  nx: number,
  unit: string,
): MapSet {
  const P = ny * nx;
  const K = m.K;
  const shape = [ny, nx];
  const maps: MapSet = {};
  const plane = (a: Float32Array, i: number) => a.subarray(i * P, (i + 1) * P);
  const empty = (p: number) => totals[p] === 0;
  const peakSum = new Float64Array(P);
  const areas = m.names.map((_, k) => {
    const w = plane(f.weight, k);
    return Float32Array.from({ length: P }, (_, p) => {
      const a = empty(p) ? NaN : w[p]! * totals[p]!;
      peakSum[p] += a;
      return a;
    });
  });
  m.names.forEach((name, k) => {
    const pos = plane(f.position, k);
    const sig = plane(f.sigma, k);
    maps[`${name}_position`] = {
      data: Float32Array.from(pos, (v, p) => (empty(p) ? NaN : v)),
      shape,
      unit,
      description: `${name} position`,
    };
    maps[`${name}_fwhm`] = {
      data: Float32Array.from(sig, (v, p) => (empty(p) ? NaN : v * FWHM_PER_SIGMA)),
      shape,
      unit,
      description: `${name} FWHM`,
    };
    maps[`${name}_area`] = {
      data: areas[k]!,
      shape,
      unit: 'counts',
      description: `${name} area (counts in the window)`,
    };
    maps[`${name}_fraction`] = {
      data: areas[k]!.map((a, p) => a / peakSum[p]!),
      shape,
      unit: '',
      description: `${name} area / sum of peak areas`,
    };
  });
  const bgTotal = new Float32Array(P);
  m.background.forEach((b, j) => {
    const w = plane(f.weight, K + j);
    const data = Float32Array.from(w, (v, p) => (empty(p) ? NaN : v * totals[p]!));
    data.forEach((v, p) => (bgTotal[p] += v));
    maps[`background_${b}`] = {
      data,
      shape,
      unit: 'counts',
      description: `background component ${b} (counts in the window)`,
    };
  });
  for (let p = 0; p < P; p++) if (empty(p)) bgTotal[p] = NaN;
  maps.background = {
    data: bgTotal,
    shape,
    unit: 'counts',
    description: 'background counts in the window (all components)',
  };
  maps.loglik = {
    data: Float32Array.from(f.loglik, (v, p) => (empty(p) ? NaN : v)),
    shape,
    unit: '',
    description: 'log-likelihood sum_n y_n log density(x_n)',
  };
  maps.iterations = { data: Float32Array.from(f.iterations), shape, unit: '', description: 'EM iterations' };
  maps.converged = {
    data: Float32Array.from(f.converged, (v, p) => (empty(p) ? 0 : v)),
    shape,
    unit: '',
    description: '1 where EM converged',
  };
  return maps;
}

export interface ModelCurves {
  energy: Float64Array;
  /** Component names: the peaks, then `background_<component>`. */
  names: string[];
  /** Expected counts per channel of each component. */
  components: Float64Array[];
  total: Float64Array;
}

/** The counts a Tougaard component of pixel p was derived from: `spectrum` if given; on a one-pixel
 * result its mean spectrum (the same counts for a one-pixel map, and what a one-pixel view of the mean
 * fit, as the report draws it, needs); else the pixel's row of result.spectra. */
function tougaardCounts(result: PeakFitResult, p: number, spectrum?: ArrayLike<number>): ArrayLike<number> {
  const C = result.energy.length;
  if (spectrum) {
    if (spectrum.length !== C)
      throw new RangeError(`modelComponents: the spectrum has ${spectrum.length} channels, the fitted axis ${C}`);
    return spectrum;
  }
  if (result.ny * result.nx === 1 && result.mean) return result.mean.spectrum;
  if (result.spectra && result.spectra.length === result.ny * result.nx * C)
    return result.spectra.subarray(p * C, (p + 1) * C);
  throw new RangeError(
    'modelComponents: a Tougaard background needs the counts it was derived from (pass the pixel spectrum)',
  );
}

/** The fitted model of pixel `p` as expected counts per channel on `energy` (default: the fitted axis).
 * A Tougaard component is defined on the fitted channels only, from the pixel's counts (`spectrum`,
 * by default those the fit kept: tougaardCounts). */
export function modelComponents(
  result: PeakFitResult,
  p: number,
  energy?: ArrayLike<number>,
  spectrum?: ArrayLike<number>,
): ModelCurves {
  const m = result.model;
  const P = result.ny * result.nx;
  if (!Number.isInteger(p) || p < 0 || p >= P) throw new RangeError(`pixel ${p} is outside 0..${P - 1}`);
  const x = Float64Array.from(energy ?? result.energy);
  if (x.length < 2) throw new RangeError('modelComponents needs an energy axis of at least 2 channels');
  const width = channelWidths(x);
  const at = (name: string) => result.maps[name]!.data[p]!;
  const components: Float64Array[] = [];
  const names: string[] = [];
  const peaks = {
    position: m.names.map((n) => at(`${n}_position`)),
    sigma: m.names.map((n) => at(`${n}_fwhm`) / FWHM_PER_SIGMA),
    weight: m.names.map((n) => at(`${n}_area`)),
  };
  m.names.forEach((name, k) => {
    const [c, s, area] = [peaks.position[k]!, peaks.sigma[k]!, peaks.weight[k]!];
    const { logZ } = gaussWindow(c, s, m.window);
    names.push(name);
    components.push(x.map((xn, n) => area * Math.exp(logGauss(xn, c, s, logZ)) * width[n]!));
  });
  m.background.forEach((b) => {
    const area = at(`background_${b}`);
    names.push(`background_${b}`);
    if (isShirley(b)) {
      // The step the fitted peaks imply (the areas weigh it as the weights do: only proportions count).
      const sign = b === 'shirley' ? 1 : -1;
      const coef = shirleyCoefficients(peaks, m.K, sign, m.window);
      components.push(x.map((xn, n) => area * shirleyDensity(xn, peaks, coef, sign) * width[n]!));
    } else if (isTougaard(b)) {
      const fitted = result.energy;
      if (x.length !== fitted.length || x.some((v, n) => v !== fitted[n]))
        throw new RangeError('modelComponents: a Tougaard background is defined on the fitted energy axis only');
      const t = tougaardTemplate(x, tougaardCounts(result, p, spectrum), b === 'tougaard' ? 1 : -1, m.tougaardC, width);
      components.push(t.map((v, n) => area * v * width[n]!));
    } else components.push(x.map((xn, n) => area * backgroundDensity(b, xn, m.window) * width[n]!));
  });
  const total = new Float64Array(x.length);
  for (const c of components) c.forEach((v, n) => (total[n] += v));
  return { energy: x, names, components, total };
}
