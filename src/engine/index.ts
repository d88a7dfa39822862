export {
  openEngine,
  cpuEngine,
  resolveEngine,
  type Backend,
  type Engine,
  type EngineOptions,
  type EngineSource,
} from './device.js';
export { BufferScope, GpuEngine, Kernel, type Dispatch, type TypedArray, type Workgroups } from './gpu.js';
export {
  grid,
  importsOf,
  kernelKey,
  kernelSource,
  resolveKernel,
  type Define,
  type KernelSpec,
  type Provided,
} from './kernel.js';
export { KernelInterface, type Buffers, type UniformValues } from './kernel-interface.js';
export { kernelFiles } from './kernel-files.js';
export { planChunks, runChunked, throttle, type Chunk, type Progress, type RunControl } from './scheduler.js';
export { InputError, AbortError, GpuUnavailableError, throwIfAborted } from './errors.js';
export { flags } from './flags.js';
export { measureFmaPeak, measureStreamRead, type PeakResult, type StreamResult } from './ceilings.js';
export { adapterKindOf, type AdapterKind } from './adapter-kind.js';
export {
  ADAPTER_CHOICES,
  HIDE_LAVAPIPE_ENV,
  LAVAPIPE_ICD,
  SWIFTSHADER_ICD,
  type AdapterChoice,
} from './node-adapter.js';
