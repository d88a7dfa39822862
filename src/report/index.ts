// Report building blocks (browser-safe): PNG maps and colour bars, SVG charts, the HTML page.
// The Node-only file writer is ./write-report.ts.
export { COLORMAPS, NAN_RGB, colormapLut, labelColor, seriesColor, type ColormapName } from './colormap.js';
export { displayRange, quantileSorted, type RangeOptions } from './range.js';
export { niceTicks, logTicks, formatTicks } from './ticks.js';
export {
  renderMap,
  renderMapPng,
  renderColorbarPng,
  defaultScale,
  type MapPngOptions,
  type RenderedMap,
} from './map-png.js';
export { colorbarSvg, colorbarTicks, labelLegendSvg, type ColorbarTick } from './colorbar-svg.js';
export { lineChart, type LineChartOptions, type Series } from './line-chart.js';
export { histogram, histogramCounts, type HistogramOptions, type HistogramCounts } from './histogram.js';
export { scatterChart, type ScatterOptions, type ScatterSeries } from './scatter-chart.js';
export { barChart, type BarChartOptions } from './bar-chart.js';
export {
  Html,
  render,
  paragraph,
  svgBlock,
  image,
  figure,
  mapFigure,
  table,
  facts,
  grid,
  reportPage,
  dataUri,
  base64,
  type Content,
  type Section,
} from './html.js';
export { escapeXml } from './escape.js';
