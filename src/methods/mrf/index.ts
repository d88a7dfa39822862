// Potts-MRF segmentation (issue #4): public API.
export { segmentMrf } from './driver.js';
export { samplePotts, batchMeans, type PottsOptions, type PottsResult } from './potts.js';
export { adjustedRandIndex } from './ari.js';
export { kmeans, kmeansPlusPlus, type KmeansResult } from './kmeans.js';
export { estimateBeta } from './beta.js';
export {
  mrfMaps,
  meanConfidence,
  MASKED_LABEL,
  type MrfOptions,
  type MrfResult,
  type PixelFeatures,
  type Neighbours,
} from './model.js';
export { type Lattice } from './lattice.js';
