// The HTML reports of `specmap nmf` (factors as plots, loadings as maps, residual map, loss curve)
// and `specmap scree` (explained variance per component with the elbow). Browser-safe: returns
// the page as a string.
import type { SpectrumImage } from '../data/types.js';
import type { NmfResult, ScreeResult } from '../methods/nmf/index.js';
import { componentMaps } from '../methods/nmf/model.js';
import { barChart } from './bar-chart.js';
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

export interface NmfReportInfo {
  source: string;
  /** Which adapter ran (engine.description). */
  adapter: string;
  /** The options as the user gave them. */
  given: Record<string, unknown>;
  /** Pixels the pixel mask left out (NaN loadings and residual). */
  masked?: number;
  /** Spectrum correlation of each component with a known truth (synthetic data). */
  truthCorrelation?: number[];
}

const sig = (v: number, d = 4): number => Number(v.toPrecision(d));

function factorsChart(r: NmfResult, img: SpectrumImage, values: Float32Array, title: string): string {
  const k = r.k;
  const C = img.channels;
  return lineChart({
    series: Array.from({ length: k }, (_, t) => ({
      name: `component ${t + 1}`,
      x: img.energy,
      y: values.subarray(t * C, (t + 1) * C),
    })),
    xLabel: `energy (${img.energyUnit})`,
    yLabel: 'intensity',
    title,
    reverseX: descendingAxis(img.energy),
    width: 720,
    height: 320,
  });
}

export function nmfReport(r: NmfResult, img: SpectrumImage, info: NmfReportInfo): string {
  const { ny, nx } = img;
  const npix = ny * nx;
  const k = r.k;
  const summary = facts([
    ['source', info.source],
    [
      'data',
      `${ny} × ${nx} pixels × ${img.channels} channels (${img.energyUnit})${info.masked ? `; ${info.masked} pixel(s) left out by the pixel mask: not factorised (loadings and residual NaN, grey in the maps)` : ''}`,
    ],
    ['method', r.method],
    ['components', k],
    ['iterations', `${r.iterations}${r.converged ? ' (converged)' : ' (stopped at the cap)'}`],
    ['relative error ‖X − WH‖/‖X‖', sig(r.relativeError)],
    ['final loss', sig(r.loss[r.loss.length - 1]!)],
    [
      'orthogonality (max off-diagonal cosine)',
      `maps ${sig(r.orthogonality.loadings, 3)}, spectra ${sig(r.orthogonality.factors, 3)}`,
    ],
    ['restarts (final error each)', r.restartErrors.map((e) => sig(e)).join(', ')],
    ['time', `${sig(r.timing.initMs / 1000, 3)} s start, ${sig(r.timing.runMs / 1000, 3)} s iterations`],
    ['backend', `${r.backend}: ${info.adapter}`],
  ]);
  const perComponent = componentMaps(r.loadings);
  const maps = Array.from({ length: k }, (_, t) =>
    mapFigure({
      title: `component ${t + 1}${info.truthCorrelation ? ` (truth r = ${info.truthCorrelation[t]!.toFixed(4)})` : ''}`,
      map: renderMap(perComponent.subarray(t * npix, (t + 1) * npix), ny, nx),
      unit: 'loading (× component spectrum)',
    }),
  );
  // Log y: the first checks fall by decades, the last ones by a fraction of a per cent.
  const loss = lineChart({
    series: [{ name: 'loss', x: r.lossIterations, y: r.loss }],
    xLabel: 'iteration',
    yLabel: r.method === 'kl' ? 'sqrt(2 · KL divergence) (log scale)' : '‖X − WH‖_F (log scale)',
    logY: r.loss.every((v) => v > 0),
    width: 720,
    height: 320,
  });
  const sections: Section[] = [
    { title: 'Summary', body: summary },
    {
      title: 'Factors (component spectra)',
      body: figure(
        svgBlock(factorsChart(r, img, r.factors.data, '')),
        'Each component spectrum (NMF factor), on the energy axis.',
      ),
    },
    { title: 'Loadings (abundance maps)', body: grid(maps) },
    {
      title: 'Residual',
      body: grid([
        mapFigure({
          title: r.method === 'kl' ? 'KL divergence per pixel' : '‖x − WH‖ per pixel',
          map: renderMap(r.residual.data, ny, nx, { colormap: 'magma' }),
          unit: r.method === 'kl' ? 'KL divergence (nats)' : `‖x − WH‖ (${r.residual.unit ?? 'data units'})`,
        }),
      ]),
    },
    {
      title: 'Convergence',
      body: figure(svgBlock(loss), 'The loss at every convergence check (every 10 iterations).'),
    },
    ...(r.reference
      ? [
          {
            title: 'Reference spectrum',
            body: figure(
              svgBlock(
                lineChart({
                  series: [{ name: 'reference', x: img.energy, y: r.reference }],
                  xLabel: `energy (${img.energyUnit})`,
                  reverseX: descendingAxis(img.energy),
                  width: 520,
                  height: 240,
                }),
              ),
              'Subtracted from every pixel before the fit.',
            ),
          },
        ]
      : []),
    {
      title: 'Options',
      body: table(
        ['option', 'value'],
        Object.entries(info.given).map(([key, v]): Content[] => [key, String(v)]),
      ),
    },
  ];
  return reportPage(`NMF (${r.method}, k = ${k}): ${info.source}`, sections, { footer: paragraph('specmap nmf') });
}

export function screeReport(s: ScreeResult, info: { source: string; adapter: string; shape: string }): string {
  const L = s.explained.length;
  const labels = Array.from({ length: L }, (_, i) => String(i + 1));
  const bars = barChart({
    labels,
    values: s.explained,
    yLabel: 'explained variance ratio',
    xLabel: 'component',
    width: 640,
    height: 300,
  });
  const cumulative = lineChart({
    series: [{ name: 'cumulative', x: Float64Array.from({ length: L }, (_, i) => i + 1), y: s.cumulative }],
    xLabel: 'components',
    yLabel: 'cumulative explained variance',
    width: 640,
    height: 260,
  });
  const rows = Array.from({ length: L }, (_, i): Content[] => [
    i + 1,
    sig(s.explained[i]!),
    sig(s.cumulative[i]!),
    sig(s.singularValues[i]!),
  ]);
  return reportPage(`Scree: ${info.source}`, [
    {
      title: 'Summary',
      body: facts([
        ['source', info.source],
        ['data', info.shape],
        ['suggested k (components above the noise floor)', s.suggestedK],
        ['noise variance per channel (estimated)', s.noiseVariance.toExponential(3)],
        ['largest drop on a log scale after component', s.elbow],
        ['backend', info.adapter],
      ]),
    },
    {
      title: 'Explained variance',
      body: [
        figure(svgBlock(bars), 'PCA of the centred spectra: the share of the variance each component explains.'),
        figure(svgBlock(cumulative)),
      ],
    },
    { title: 'Table', body: table(['component', 'explained', 'cumulative', 'singular value'], rows) },
  ]);
}
