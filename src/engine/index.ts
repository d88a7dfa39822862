export {
  openEngine,
  cpuEngine,
  resolveEngine,
  type Backend,
  type Engine,
  type EngineOptions,
  type EngineSource,
} from './device.js';
export { GpuEngine, type Dispatch, type TypedArray } from './gpu.js';
export { grid, kernelKey, kernelSource, type Define, type KernelSpec } from './kernel.js';
export { planChunks, runChunked, throttle, type Chunk, type Progress, type RunControl } from './scheduler.js';
export { InputError, AbortError, GpuUnavailableError, throwIfAborted } from './errors.js';
export { flags } from './flags.js';
export { measureFmaPeak, measureStreamRead, type PeakResult, type StreamResult } from './peak.js';
export { adapterKindOf, type AdapterKind } from './adapter-kind.js';
export {
  ADAPTER_CHOICES,
  HIDE_LAVAPIPE_ENV,
  LAVAPIPE_ICD,
  SWIFTSHADER_ICD,
  type AdapterChoice,
} from './node-adapter.js';
