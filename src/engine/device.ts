// Acquiring a WebGPU device in the browser (navigator.gpu) or in Node (npm `webgpu`, Dawn).
// In Node the adapter is chosen in node-adapter.ts: hardware, else lavapipe, else SwiftShader.

import { adapterKindOf, type AdapterKind } from './adapter-kind.js';
import { GpuUnavailableError } from './errors.js';
import { GpuEngine } from './gpu.js';
import { ADAPTER_CHOICES, infoOf, nodeAdapter, SWIFTSHADER_ICD, type AdapterChoice } from './node-adapter.js';

export type Backend = 'auto' | 'webgpu' | 'cpu';

export interface EngineOptions {
  backend?: Backend;
  /** Which WebGPU adapter (Node): 'auto' (default) = hardware, else lavapipe, else SwiftShader. */
  adapter?: AdapterChoice;
  /** Where the engine says which adapter ran, and the 'auto' fallback warning. Default: console.error. */
  log?: (message: string) => void;
}

export interface Engine {
  readonly backend: 'webgpu' | 'cpu';
  /** Which adapter ran (or 'CPU reference (float64)'). */
  readonly description: string;
  /** The GPU side; null on the CPU backend. */
  readonly gpu: GpuEngine | null;
  close(): void;
}

const INSTALL_HINT =
  'install a GPU driver with Vulkan, or a software adapter: bash scripts/setup.sh (lavapipe; or apt-get install chromium libvulkan1 for SwiftShader at ' +
  SWIFTSHADER_ICD +
  ')';

interface GpuEntry {
  requestAdapter(o?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

function isNode(): boolean {
  return (
    typeof process !== 'undefined' &&
    !!process.versions?.node &&
    typeof (globalThis as { window?: unknown }).window === 'undefined'
  );
}

function describe(info: GPUAdapterInfo | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s && s.length > 0);
  return parts.length ? parts.join(' / ') : 'unknown adapter';
}

type Got = { adapter: GPUAdapter; kind: AdapterKind; via: string } | { error: string };

async function requestAdapter(choice: AdapterChoice): Promise<Got> {
  if (!isNode()) {
    const gpu = (globalThis as { navigator?: { gpu?: GpuEntry } }).navigator?.gpu;
    if (!gpu)
      return {
        error:
          'this browser has no WebGPU (navigator.gpu is missing; it needs a secure context such as https or 127.0.0.1)',
      };
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { error: 'the browser offers no WebGPU adapter' };
    // Browsers may mask adapter info, so a hardware GPU cannot be asserted there.
    const kind = adapterKindOf(infoOf(adapter));
    return { adapter, kind: kind === 'lavapipe' || kind === 'swiftshader' ? kind : 'browser', via: 'browser' };
  }
  const got = await nodeAdapter(choice);
  return 'error' in got ? got : { adapter: got.adapter, kind: got.kind, via: `Dawn; ${got.why}` };
}

async function openGpu(choice: AdapterChoice): Promise<GpuEngine> {
  const got = await requestAdapter(choice);
  if ('error' in got)
    throw new GpuUnavailableError(choice === 'auto' ? `WebGPU unavailable: ${got.error}; ${INSTALL_HINT}` : got.error);
  const { adapter, kind } = got;
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  const software = kind === 'lavapipe' || kind === 'swiftshader' || kind === 'unknown';
  return new GpuEngine(device, `${describe(infoOf(adapter))} via ${got.via}`, software, kind);
}

/** Open the compute engine. 'webgpu' throws a GpuUnavailableError naming what to install when no
 * adapter exists; 'auto' falls back to the CPU reference with one warning; 'cpu' never touches WebGPU. */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  const backend = options.backend ?? 'auto';
  const log = options.log ?? ((m: string) => console.error(m));
  if (backend !== 'auto' && backend !== 'webgpu' && backend !== 'cpu') {
    throw new Error(`unknown backend '${String(backend)}' (use auto, webgpu or cpu)`);
  }
  const adapter = options.adapter ?? 'auto';
  if (!ADAPTER_CHOICES.includes(adapter)) {
    throw new Error(`unknown adapter '${String(adapter)}' (use ${ADAPTER_CHOICES.join(', ')})`);
  }
  if (backend === 'cpu') return cpuEngine();
  try {
    const gpu = await openGpu(adapter);
    log(`specmap: WebGPU adapter: ${gpu.adapterDescription}${gpu.isSoftware ? ' (software: runs on the CPU)' : ''}`);
    return {
      backend: 'webgpu',
      description: gpu.adapterDescription,
      gpu,
      close: () => gpu.destroy(),
    };
  } catch (e) {
    // An adapter the user named explicitly is never silently replaced by the CPU.
    if (backend === 'webgpu' || adapter !== 'auto') throw e;
    log(`specmap: warning: ${(e as Error).message}. Falling back to the CPU reference (slow).`);
    return cpuEngine();
  }
}

/** The float64 CPU reference as an engine (what `openEngine({ backend: 'cpu' })` returns). */
export function cpuEngine(): Engine {
  return { backend: 'cpu', description: 'CPU reference (TypeScript, float64)', gpu: null, close: () => undefined };
}

/** An open engine, or a function that opens one. Methods call the function only after their
 * options and data have passed their checks, so bad input is refused before an adapter starts. */
export type EngineSource = Engine | (() => Promise<Engine>);

export async function resolveEngine(source: EngineSource): Promise<Engine> {
  return typeof source === 'function' ? source() : source;
}
