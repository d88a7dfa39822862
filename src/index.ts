// specmap's library API: what an embedding front end (browser or Node) imports.
// Functions take plain typed arrays and small option objects; results are named maps.
export {
  openEngine,
  cpuEngine,
  measureFmaPeak,
  flags,
  InputError,
  AbortError,
  GpuUnavailableError,
  type Backend,
  type Engine,
  type EngineOptions,
  type Progress,
  type RunControl,
} from './engine/index.js';
export {
  makeSpectrumImage,
  spectrumOf,
  pixelCount,
  type SpectrumImage,
  type NamedMap,
  type MapSet,
} from './data/types.js';
export {
  parseNpy,
  encodeNpy,
  parseTextTable,
  parseEmsa,
  decodeSpectrumImage,
  decodeEnergyAxis,
  linearEnergy,
  checkEnergyAxis,
  mapSetToCsv,
  summarizeMapSet,
  encodeJson,
  type NpyArray,
  type DecodeOptions,
  type MapSummary,
} from './data/io/index.js';
export { scanSpectra, assertFinite, type SpectraScan, type Finding, type ValueLocation } from './data/validate.js';
export { NonFiniteError, type NonFiniteDetail } from './data/non-finite.js';
export * as report from './report/index.js';
export {
  peaksReport,
  peakMedians,
  pixelStatus,
  peakAccuracy,
  type PeaksReportInfo,
  type PeakAccuracy,
  type PeakStats,
} from './report/peaks.js';
export {
  nmf,
  scree,
  NMF_METHODS,
  NMF_INITS,
  type NmfOptions,
  type NmfResult,
  type NmfMethod,
  type NmfInit,
  type NmfReference,
  type ScreeOptions,
  type ScreeResult,
} from './methods/nmf/index.js';
export { nmfReport, screeReport, type NmfReportInfo } from './report/nmf.js';
export {
  fitPeaks,
  modelComponents,
  mo3dMap,
  resolvePeaks,
  PEAK_OPTIONS,
  MO3D_SPLIT,
  MO3D_RATIO,
  PEAK_FIT_DEFAULTS,
  BACKGROUND_COMPONENTS,
  MAX_PEAKS,
  FWHM_PER_SIGMA,
  type PeakFitOptions,
  type PeakFitResult,
  type PeakSpec,
  type PeakLink,
  type PeakParams,
  type BackgroundComponent,
  type MeanSpectrumFit,
  type SpectrumFit,
  type ResolvedPeaks,
  type GpuKernel,
  type ModelCurves,
  type Mo3dOptions,
  type Mo3dData,
} from './methods/peaks/index.js';
export {
  segmentMrf,
  samplePotts,
  kmeans,
  kmeansPlusPlus,
  adjustedRandIndex,
  estimateBeta,
  mrfMaps,
  batchMeans,
  type MrfOptions,
  type MrfResult,
  type PixelFeatures,
  type Neighbours,
  type PottsOptions,
  type PottsResult,
  type KmeansResult,
  type Lattice,
} from './methods/mrf/index.js';
export { mrfReport, type MrfReportInfo } from './report/mrf.js';
export { PhiloxStream, philox4x32, uniform24, uniform53, boxMuller, poisson } from './random/index.js';
export { grainMap, type GrainOptions, type GrainData } from './data/synth/grains.js';
export {
  optionValue,
  checkValue,
  ruleOf,
  type OptionTable,
  type OptionDef,
  type NumberOption,
  type ChoiceOption,
  type BooleanOption,
  type TextOption,
} from './methods/option-table.js';
export { type MethodResult, type MethodTiming, type MethodControl, type MethodFunction } from './methods/contract.js';
export { NMF_OPTIONS, resolveNmf, type ResolvedNmf } from './methods/nmf/model.js';
export { MRF_OPTIONS, resolveMrf, type ResolvedMrf } from './methods/mrf/model.js';
export {
  bayesPeaks,
  BAYES_OPTIONS,
  PEAK_PARAMS,
  type BayesOptions,
  type BayesResult,
  type SpectrumResult,
} from './methods/bayes/index.js';
