// The HTML report of `specmap segment`: the MAP label map, the per-pixel confidence (posterior
// probability of the most probable label), the k-means start, the class spectra, and the beta
// and log-posterior traces. Browser-safe: returns the page as a string.
import { meanConfidence, type MrfResult } from '../methods/mrf/index.js';
import { labelLegendSvg } from './colorbar-svg.js';
import {
  facts,
  figure,
  grid,
  mapFigure,
  paragraph,
  reportPage,
  svgBlock,
  table,
  type Content,
  type Section,
} from './html.js';
import { lineChart } from './line-chart.js';
import { renderMap } from './map-png.js';
import { descendingAxis } from './svg-frame.js';

export interface MrfReportInfo {
  source: string;
  /** Which adapter ran (engine.description). */
  adapter: string;
  /** The options as the user gave them. */
  given: Record<string, unknown>;
  /** Energy axis of the channels (omit for features without one). */
  energy?: ArrayLike<number>;
  energyUnit?: string;
  seconds: number;
}

const sig = (v: number, d = 4): number => Number(v.toPrecision(d));

export function mrfReport(r: MrfResult, info: MrfReportInfo): string {
  const { ny, nx, k, channels } = r;
  // A swatch per class, in the label map's colours (the class spectra below use the same ones).
  const classLegend = labelLegendSvg(Array.from({ length: k }, (_, c) => `class ${c}`));
  const npix = ny * nx;
  const x = info.energy ?? Float64Array.from({ length: channels }, (_, j) => j);
  const o = r.options;
  const summary = facts([
    ['source', info.source],
    [
      'data',
      `${ny} × ${nx} pixels × ${channels} channels${r.masked > 0 ? `; ${r.masked} pixel(s) left out by the pixel mask` : ''}`,
    ],
    ['classes', `${k}; pixels per class ${r.classSizes.join(', ')}`],
    [
      'Potts prior',
      `${o.neighbours} neighbours, beta ${o.beta === 'estimate' ? `estimated by pseudo-likelihood: ${sig(r.betaTrace.at(-1)!)}` : `fixed: ${o.beta}`}`,
    ],
    [
      'sweeps',
      `${r.sweeps} (${o.burnIn} stochastic EM, ${o.samples} sampling, ${o.anneal} annealing to T = ${o.tMin}); seed ${o.seed}`,
    ],
    ['k-means start', `${r.kmeansIterations} iterations (k-means++ seeding)`],
    ['mean confidence', sig(meanConfidence(r), 3)],
    ['time', `${sig(info.seconds, 3)} s (${sig(r.labelUpdates / info.seconds / 1e6, 3)} M label updates/s overall)`],
    ['backend', `${r.backend}: ${info.adapter}`],
  ]);
  const spectra = lineChart({
    series: Array.from({ length: k }, (_, c) => ({
      name: `class ${c} (s = ${sig(Math.sqrt(r.variances[c]!), 3)})`,
      x,
      y: r.means.subarray(c * channels, (c + 1) * channels),
    })),
    xLabel: info.energy ? `energy (${info.energyUnit ?? ''})` : 'channel',
    yLabel: 'mean intensity',
    reverseX: descendingAxis(x),
    width: 720,
    height: 320,
  });
  const betaChart = lineChart({
    series: [{ name: 'beta', x: r.betaTrace.map((_, i) => i), y: r.betaTrace, points: r.betaTrace.length < 3 }],
    xLabel: 'parameter update',
    yLabel: 'beta',
    width: 420,
    height: 240,
  });
  const lpChart = lineChart({
    series: [{ name: 'log posterior', x: r.logPosteriorTrace.map((_, i) => i), y: r.logPosteriorTrace }],
    xLabel: 'block of sweeps',
    yLabel: 'log p(z, y)',
    width: 420,
    height: 240,
  });
  const maps = grid([
    mapFigure({
      title: 'label map (MAP by simulated annealing)',
      map: renderMap(r.labels, ny, nx, { colormap: 'labels' }),
      legend: classLegend,
    }),
    mapFigure({
      title: 'confidence (posterior probability of the most probable label)',
      map: renderMap(r.confidence, ny, nx, { vmin: 1 / k, vmax: 1 }),
    }),
    mapFigure({
      title: 'k-means start',
      map: renderMap(r.kmeansLabels, ny, nx, { colormap: 'labels' }),
      legend: classLegend,
    }),
  ]);
  // Masked pixels: label -1 and NaN confidence, both drawn grey (map-png.ts), as the fit report's.
  const maskNote =
    r.masked > 0
      ? [
          paragraph(
            `${r.masked} of ${npix} pixels left out by the pixel mask: not segmented (label -1, confidence NaN, grey in the maps).`,
          ),
        ]
      : [];
  const sections: Section[] = [
    { title: 'Summary', body: summary },
    { title: 'Maps', body: [...maskNote, maps] },
    {
      title: 'Class spectra',
      body: figure(
        svgBlock(spectra),
        'Mean spectrum of each class of the final label map; s is the class noise (standard deviation per channel).',
      ),
    },
    {
      title: 'Traces',
      body: grid([
        figure(svgBlock(betaChart), 'Potts coupling at each parameter update.'),
        figure(svgBlock(lpChart), 'log p(z, y | θ, β) up to the Potts normaliser, after each block of sweeps.'),
      ]),
    },
    {
      title: 'Options',
      body: table(
        ['option', 'value'],
        Object.entries(info.given).map(([key, v]): Content[] => [key, String(v)]),
      ),
    },
  ];
  return reportPage(`Potts-MRF segmentation (K = ${k}): ${info.source}`, sections, {
    footer: paragraph('specmap segment'),
  });
}
