// The HTML report of a per-pixel peak fit (DIR/index.html of `specmap fit` / `specmap demo`):
// run summary, maps per peak, position histograms, a few pixel spectra with their fitted
// components and residuals (a typical one, the worst fits, unconverged ones), the mean-spectrum
// fit that seeded the pixels, and the options. Browser-safe: returns the page as a string.
import { axisDecimals } from '../data/axis-decimals.js';
import type { MapSet, SpectrumImage } from '../data/types.js';
import { spectrumOf } from '../data/types.js';
import { modelComponents, type BackgroundComponent, type PeakFitResult } from '../methods/peaks/index.js';
import { labelLegendSvg } from './colorbar-svg.js';
import { seriesColor } from './colormap.js';
import { escapeXml } from './escape.js';
import { histogram } from './histogram.js';
import {
  facts,
  figure,
  grid,
  Html,
  mapFigure,
  paragraph,
  render,
  reportPage,
  svgBlock,
  table,
  type Content,
  type Section,
} from './html.js';
import { lineChart, type Series } from './line-chart.js';
import { renderMap } from './map-png.js';
import { median, type PeakAccuracy } from './peaks-accuracy.js';

export { peakAccuracy, type PeakAccuracy } from './peaks-accuracy.js';

export interface PeaksReportInfo {
  title: string;
  /** Where the spectra came from. */
  source: string;
  /** Which adapter ran (engine.description). */
  adapter: string;
  /** The adapter runs on the CPU (GpuEngine.isSoftware): its timings are CPU timings. */
  softwareAdapter?: boolean;
  /** The options as the user gave them. */
  given: Record<string, unknown>;
  /** Accuracy against a known truth (synthetic data). */
  accuracy?: PeakAccuracy[];
  /** Draw energy decreasing to the right (binding energy, as XPS plots do). */
  reverseX?: boolean;
  /** The program version for the footer. */
  version?: string;
}

export interface PeakStats {
  peak: string;
  position: number;
  fwhm: number;
  area: number;
}

/** Medians over converged pixels of each peak's position, FWHM and area. */
export function peakMedians(result: PeakFitResult): PeakStats[] {
  const conv = result.maps.converged!.data;
  const pick = (name: string) => Array.from(result.maps[name]!.data).filter((_, p) => conv[p] === 1);
  return result.model.names.map((peak) => ({
    peak,
    position: median(pick(`${peak}_position`)),
    fwhm: median(pick(`${peak}_fwhm`)),
    area: median(pick(`${peak}_area`)),
  }));
}

/** Pixel status: 0 converged, 1 stopped at the iteration limit, 2 no counts, 3 left out by the pixel mask (2 and 3 not fitted). */
export function pixelStatus(result: PeakFitResult): Float32Array {
  const conv = result.maps.converged!.data;
  const ll = result.maps.loglik!.data;
  const masked = result.maskedPixels;
  return Float32Array.from(conv, (c, p) => (masked?.[p] ? 3 : c === 1 ? 0 : Number.isNaN(ll[p]!) ? 2 : 1));
}

/** Pearson chi^2 per channel of the fitted model: sum (y - mu)^2 / max(mu, 1) / C. */
function misfit(result: PeakFitResult, image: SpectrumImage, p: number): number {
  const y = spectrumOf(image, p);
  const { total } = modelComponents(result, p);
  let s = 0;
  for (let n = 0; n < y.length; n++) s += (y[n]! - total[n]!) ** 2 / Math.max(total[n]!, 1);
  return s / y.length;
}

const RESIDUAL_SAMPLE = 4096;

/** A table cell: the number to `decimals` places, or a dash where there is none (no converged pixel). */
// Fixed decimals as text: a FWHM of 1.000 eV reads as fitted to the meV, not as a round '1'.
const orDash = (v: number, decimals: number): Content => (Number.isFinite(v) ? v.toFixed(decimals) : '—');

/** Three significant digits: error figures. */
const sig3 = (v: number): number => Number(v.toPrecision(3));

interface PickedPixel {
  p: number;
  why: string;
}

/** A typical pixel (position closest to the median), the worst fits among a sample, unconverged ones. */
function pickPixels(
  result: PeakFitResult,
  image: SpectrumImage,
  status: Float32Array,
): { picked: PickedPixel[]; sampled: number } {
  const P = status.length;
  const base = result.model.names[result.model.groupBase[0]!]!;
  const pos = result.maps[`${base}_position`]!.data;
  const med = median(Array.from(pos).filter((_, p) => status[p] === 0));
  let typical = -1;
  for (let p = 0; p < P; p++)
    if (status[p] === 0 && (typical < 0 || Math.abs(pos[p]! - med) < Math.abs(pos[typical]! - med))) typical = p;
  const stride = Math.max(1, Math.ceil(P / RESIDUAL_SAMPLE));
  const scored: { p: number; chi: number }[] = [];
  for (let p = 0; p < P; p += stride) if (status[p] === 0) scored.push({ p, chi: misfit(result, image, p) });
  scored.sort((a, b) => b.chi - a.chi);
  const picked: PickedPixel[] = [];
  if (typical >= 0) picked.push({ p: typical, why: `typical: ${base} position closest to the median` });
  for (const s of scored.slice(0, 2))
    if (s.p !== typical)
      picked.push({
        p: s.p,
        why: `worst fit among ${scored.length} sampled converged pixels (χ²/channel ${s.chi.toPrecision(3)})`,
      });
  let unconverged = 0;
  for (let p = 0; p < P && unconverged < 2; p++) {
    if (status[p] === 1) {
      picked.push({ p, why: `not converged after ${result.maps.iterations!.data[p]} iterations` });
      unconverged++;
    }
  }
  return { picked, sampled: scored.length };
}

function pixelLabel(image: SpectrumImage, p: number): string {
  return image.layout === 'map' ? `pixel (row ${Math.floor(p / image.nx)}, column ${p % image.nx})` : `spectrum ${p}`;
}

const DATA_COLOR = '#8a8f98';
const FIT_COLOR = '#1d2430';

/** Data as points, the fitted total, and each component (backgrounds dashed) in fixed colours. */
function curveSeries(
  x: Float64Array,
  y: ArrayLike<number>,
  total: Float64Array,
  names: string[],
  components: Float64Array[],
  dataName: string,
): Series[] {
  return [
    { name: dataName, x, y, points: true, color: DATA_COLOR },
    { name: 'fit', x, y: total, color: FIT_COLOR, lineWidth: 2 },
    ...names.map((name, i) => ({
      name,
      x,
      y: components[i]!,
      color: seriesColor(i),
      dashed: name.startsWith('background'),
      lineWidth: 1.4,
    })),
  ];
}

/** One legend (HTML) for every spectrum chart on the page, instead of a box over each chart's peaks. */
function curveLegend(names: string[], dataName = 'data'): Html {
  const swatch = (color: string, kind: 'point' | 'line' | 'dash') =>
    kind === 'point'
      ? `<svg width="22" height="10"><circle cx="11" cy="5" r="3" fill="${color}"/></svg>`
      : `<svg width="22" height="10"><line x1="1" x2="21" y1="5" y2="5" stroke="${color}" stroke-width="2"${kind === 'dash' ? ' stroke-dasharray="5 3"' : ''}/></svg>`;
  const items = [
    [swatch(DATA_COLOR, 'point'), dataName],
    [swatch(FIT_COLOR, 'line'), 'fit (total)'],
    ...names.map((n, i) => [swatch(seriesColor(i), n.startsWith('background') ? 'dash' : 'line'), n]),
  ];
  return new Html(
    `<p style="display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;font-size:13px">${items
      .map(([sw, n]) => `<span style="display:inline-flex;align-items:center;gap:4px">${sw}${escapeXml(n!)}</span>`)
      .join('')}</p>`,
  );
}

/** Wide figures two to a row (the page's grid() packs three narrow ones). */
function wideGrid(items: Content[]): Html {
  return new Html(
    `<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:18px 26px;align-items:start">${items.map((i) => `<div>${render(i)}</div>`).join('')}</div>`,
  );
}

/** Data, fitted total and components (top), residuals (bottom) of one pixel. */
function spectrumFigure(result: PeakFitResult, image: SpectrumImage, pick: PickedPixel, info: PeaksReportInfo): Html {
  const y = spectrumOf(image, pick.p);
  const curves = modelComponents(result, pick.p);
  const x = curves.energy;
  const unit = image.energyUnit;
  const series = curveSeries(x, y, curves.total, curves.names, curves.components, 'data');
  const top = lineChart({
    series,
    xLabel: `energy (${unit})`,
    yLabel: 'counts',
    title: `${pixelLabel(image, pick.p)}`,
    reverseX: info.reverseX,
    width: 560,
    height: 300,
    legend: false,
  });
  const resid = Float64Array.from(y, (v, n) => v - curves.total[n]!);
  const bottom = lineChart({
    series: [{ name: 'data − fit', x, y: resid, color: '#c0392b', lineWidth: 1.2 }],
    xLabel: `energy (${unit})`,
    yLabel: 'residual',
    reverseX: info.reverseX,
    width: 560,
    height: 150,
    legend: false,
  });
  const params = result.model.names.map((name) => {
    const at = (q: string) => result.maps[`${name}_${q}`]!.data[pick.p]!;
    const d = axisDecimals(image.energy);
    return `${name} ${at('position').toFixed(d)} ${unit}, FWHM ${at('fwhm').toFixed(d)}, area ${Math.round(at('area'))}`;
  });
  return figure([svgBlock(top), svgBlock(bottom)], `${pick.why}. ${params.join('; ')}.`);
}

/** The mean spectrum with its multi-start fit, reusing modelComponents on a one-pixel result. */
function meanFitFigure(result: PeakFitResult, image: SpectrumImage, info: PeaksReportInfo): Html | null {
  const mean = result.mean;
  if (!mean) return null;
  const total = mean.spectrum.reduce((a, b) => a + b, 0);
  const one = (v: number) => ({ data: Float32Array.of(v), shape: [1, 1] });
  const maps: MapSet = {};
  const m = result.model;
  m.names.forEach((name, k) => {
    maps[`${name}_position`] = one(mean.params.position[k]!);
    maps[`${name}_fwhm`] = one(mean.params.sigma[k]! * 2 * Math.sqrt(2 * Math.LN2));
    maps[`${name}_area`] = one(mean.params.weight[k]! * total);
  });
  m.background.forEach((b, j) => (maps[`background_${b}`] = one(mean.params.weight[m.K + j]! * total)));
  const curves = modelComponents({ ...result, maps, ny: 1, nx: 1 }, 0);
  const x = curves.energy;
  const svg = lineChart({
    series: curveSeries(x, mean.spectrum, curves.total, curves.names, curves.components, 'mean spectrum'),
    xLabel: `energy (${image.energyUnit})`,
    yLabel: 'mean counts',
    reverseX: info.reverseX,
    width: 760,
    height: 360,
    legend: false,
  });
  const starts = mean.startLoglik.map((ll, i) => [i + 1, ll, ll === mean.loglik ? 'kept' : ''] as Content[]);
  return new Html(
    curveLegend(curves.names, 'mean spectrum').html +
      figure(
        svgBlock(svg),
        `The mean spectrum over pixels with counts and the best of ${mean.startLoglik.length} EM starts; its parameters seeded every pixel.`,
      ).html +
      table(['start', 'log-likelihood', ''], starts, { caption: 'Multi-start fit of the mean spectrum' }).html,
  );
}

function mapsSection(result: PeakFitResult, status: Float32Array): Content {
  const s = result.summary;
  const { ny, nx, model: m } = result;
  const map = (name: string, title: string, opts: Parameters<typeof renderMap>[3] = {}) => {
    const nm = result.maps[name]!;
    return mapFigure({ title, map: renderMap(nm.data, ny, nx, opts), unit: nm.unit });
  };
  const figures: Content[] = [];
  m.names.forEach((name, k) => {
    const linked = m.groupBase[m.group[k]!] !== k;
    if (!linked) {
      figures.push(map(`${name}_position`, `${name} position`));
      figures.push(map(`${name}_fwhm`, `${name} FWHM`));
    }
    figures.push(map(`${name}_area`, `${name} area`));
  });
  figures.push(map('background', 'background (counts)'));
  figures.push(
    mapFigure({
      title: 'fit status',
      map: renderMap(status, ny, nx, { colormap: 'labels' }),
      legend: labelLegendSvg(
        s.masked
          ? ['converged', 'iteration limit', 'no counts', 'masked out']
          : ['converged', 'iteration limit', 'no counts'],
      ),
    }),
  );
  figures.push(map('loglik', 'log-likelihood'));
  figures.push(map('iterations', 'EM iterations'));
  const linkedNote = m.names.filter((_, k) => m.groupBase[m.group[k]!] !== k);
  return [
    paragraph(
      `Each map is ${ny} row${ny === 1 ? '' : 's'} × ${nx} column${nx === 1 ? '' : 's'} of pixels, row 0 at the top and column 0 at the left (as the .npy files and matplotlib's imshow). ` +
        `Colour ranges run from the 1st to the 99th percentile; grey pixels have no value (not fitted: no counts${s.masked ? ' or left out by the pixel mask' : ''}).`,
    ),
    linkedNote.length
      ? paragraph(
          `Linked peaks (${linkedNote.join(', ')}) share position offset and width with their partner, so only their areas are shown.`,
        )
      : null,
    grid(figures),
  ];
}

function histogramsSection(result: PeakFitResult, status: Float32Array, unit: string): Content {
  const m = result.model;
  const items = m.groupBase.map((k) => {
    const name = m.names[k]!;
    const vals = Float32Array.from(result.maps[`${name}_position`]!.data).filter((_, p) => status[p] === 0);
    return svgBlock(
      histogram({
        values: vals,
        xLabel: `${name} position (${unit})`,
        title: `${name} position, converged pixels`,
        width: 520,
        height: 280,
      }),
    );
  });
  return wideGrid(items);
}

/** A background component as the options table names it; the Shirley step with the side it rises on. */
function backgroundLabel(b: BackgroundComponent, c: number, unit: string): string {
  if (b === 'tougaard' || b === 'tougaardKE')
    return `${b} (Tougaard's universal background of each pixel's counts, C = ${c} ${unit}², losses towards ${b === 'tougaard' ? 'higher' : 'lower'} energy)`;
  if (b === 'shirley') return 'shirley (active Shirley step of the fitted peaks, rising towards higher energy)';
  if (b === 'shirleyKE') return 'shirleyKE (active Shirley step of the fitted peaks, rising towards lower energy)';
  return b;
}

function optionsSection(result: PeakFitResult, info: PeaksReportInfo, unit: string): Content {
  const m = result.model;
  const d = axisDecimals(result.energy);
  const given = Object.entries(info.given).map(
    ([k, v]) => [`--${k}`, Array.isArray(v) ? v.join(' ') : String(v)] as Content[],
  );
  const peaks = m.names.map((name, k) => {
    const g = m.group[k]!;
    const base = m.groupBase[g]!;
    const link =
      base === k
        ? ''
        : `${m.names[base]} + ${Number(m.offset[k]!.toPrecision(6))}, area × ${Number(m.ratio[k]!.toPrecision(4))}`;
    const bounds = m.groupFixed[g]
      ? 'fixed'
      : `${m.groupBounds[g]![0].toFixed(d)} … ${m.groupBounds[g]![1].toFixed(d)}`;
    return [
      name,
      link || '—',
      base === k ? bounds : '—',
      m.sharedWidth ? 'shared by all' : base === k ? 'own' : `= ${m.names[base]}`,
    ] as Content[];
  });
  return [
    given.length
      ? table(['option', 'value'], given, { caption: 'Command-line options' })
      : paragraph('Default options.'),
    table(['peak', 'linked to', 'position bounds', 'width'], peaks, { caption: 'The model' }),
    facts([
      [
        'background',
        m.background.length ? m.background.map((b) => backgroundLabel(b, m.tougaardC, unit)).join(', ') : 'none',
      ],
      ['σ bounds', `${m.sigmaBounds[0].toPrecision(3)} … ${m.sigmaBounds[1].toPrecision(3)}`],
      [
        'window',
        `${m.window.lo.toFixed(d)} … ${m.window.hi.toFixed(d)} (channel edges; Gaussians are normalised inside it)`,
      ],
      ['max iterations', m.maxIterations],
      ['tolerance', `|ΔlogL| ≤ ${m.tol} · |logL|`],
      [
        'initialisation',
        m.init === 'mean'
          ? `multi-start fit of the mean spectrum (${m.starts} starts, seed ${m.seed})`
          : 'the given positions and FWHMs',
      ],
      ['negative counts', m.negative],
    ]),
  ];
}

export function peaksReport(result: PeakFitResult, image: SpectrumImage, info: PeaksReportInfo): string {
  const status = pixelStatus(result);
  const P = status.length;
  const s = result.summary;
  const unit = image.energyUnit;
  const d = axisDecimals(image.energy);
  const count = (v: number) => status.reduce((a, b) => a + (b === v ? 1 : 0), 0);
  const [nConv, nMax, nEmpty] = [count(0), count(1), count(2)];
  const nFitted = P - nEmpty - s.masked;
  const seconds = result.timing.totalMs / 1000;
  const software = info.softwareAdapter === true;
  const sections: Section[] = [];

  const flags: Content[] = [];
  if (nMax > 0)
    flags.push(
      paragraph(
        `⚠ ${nMax} pixel(s) stopped at the iteration limit (${result.model.maxIterations}) without converging: their values are shown but flagged in the status map.`,
      ),
    );
  if (nEmpty > 0)
    flags.push(
      paragraph(`⚠ ${nEmpty} pixel(s) hold no counts: not fitted (converged = 0, values NaN, grey in the maps).`),
    );
  if (s.masked > 0)
    flags.push(
      paragraph(
        `${s.masked} pixel(s) left out by the pixel mask: not fitted (converged = 0, values NaN, grey in the maps).`,
      ),
    );
  sections.push({
    title: 'Summary',
    body: [
      facts([
        ['input', info.source],
        [
          'spectra',
          `${image.ny} × ${image.nx} = ${P} pixels × ${image.channels} channels (${image.energy[0]!.toFixed(d)} … ${image.energy[image.channels - 1]!.toFixed(d)} ${unit})`,
        ],
        [
          'backend',
          `${result.backend}: ${info.adapter}${result.backend === 'webgpu' && software ? ' (software adapter: runs on the CPU)' : ''}`,
        ],
        [
          'time',
          `${seconds.toFixed(2)} s (mean-spectrum start ${(result.timing.initMs / 1000).toFixed(2)} s, pixel fits ${(result.timing.runMs / 1000).toFixed(2)} s) — ${Math.round(P / seconds)} spectra/s`,
        ],
        [
          'converged',
          `${nConv} of ${nFitted} fitted pixels (${((100 * nConv) / Math.max(1, nFitted)).toFixed(1)} %), ${s.meanIterations.toFixed(1)} iterations on average, at most ${s.maxIterations}`,
        ],
      ]),
      flags,
      table(
        ['peak', `position (${unit})`, `FWHM (${unit})`, 'area (counts)'],
        peakMedians(result).map((m) => [m.peak, orDash(m.position, d), orDash(m.fwhm, d), orDash(m.area, 0)]),
        { caption: 'Medians over converged pixels' },
      ),
    ],
  });
  if (info.accuracy) {
    sections.push({
      title: 'Accuracy against the truth',
      body: table(
        [
          'peak',
          'pixels',
          `|Δ position| median (${unit})`,
          `|Δ position| 95th pct (${unit})`,
          `|Δ FWHM| median (${unit})`,
          'area relative error, median',
        ],
        info.accuracy.map((a) => [
          a.peak,
          a.pixels,
          sig3(a.positionMedian),
          sig3(a.positionP95),
          sig3(a.fwhmMedian),
          sig3(a.areaRelMedian),
        ]),
        { caption: 'Fitted maps against the generator’s truth, converged pixels' },
      ),
    });
  }
  // A map one row high (a line scan along x) is a map too: its strip of pixels is shown.
  if (image.layout === 'map' && result.ny * result.nx > 1)
    sections.push({ title: 'Maps', body: mapsSection(result, status) });
  sections.push({ title: 'Position histograms', body: histogramsSection(result, status, unit) });
  const { picked, sampled } = pickPixels(result, image, status);
  sections.push({
    title: 'Pixel spectra',
    body: [
      paragraph(
        `Data (points), the fitted total and each component, with residuals below. Worst fits are ranked by χ² per channel among ${sampled} evenly sampled converged pixels.`,
      ),
      curveLegend([...result.model.names, ...result.model.background.map((b) => `background_${b}`)]),
      picked.length
        ? wideGrid(picked.map((pk) => spectrumFigure(result, image, pk, info)))
        : paragraph('No fitted pixels to show.'),
    ],
  });
  const meanFig = meanFitFigure(result, image, info);
  if (meanFig) sections.push({ title: 'Mean-spectrum fit', body: meanFig });
  sections.push({ title: 'Options', body: optionsSection(result, info, unit) });
  return reportPage(info.title, sections, {
    subtitle: `Per-pixel peak fitting by spectrum-adapted EM — ${P} spectra, ${result.backend}`,
    footer: `specmap${info.version ? ` ${info.version}` : ''} · ${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC`,
  });
}
