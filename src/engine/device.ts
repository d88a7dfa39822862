// Acquiring a WebGPU device in the browser (navigator.gpu) or in Node (npm `webgpu`, Dawn).
// In Node without a hardware adapter we point the Vulkan loader at SwiftShader, the software
// Vulkan that Debian's `chromium` package installs.

import { GpuUnavailableError } from './errors.js';
import { GpuEngine } from './gpu.js';

export type Backend = 'auto' | 'webgpu' | 'cpu';

export interface EngineOptions {
  backend?: Backend;
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

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const INSTALL_HINT =
  'install a GPU driver with Vulkan, or the software adapter: apt-get install chromium libvulkan1 (SwiftShader at ' +
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

let dawn: GpuEntry | null = null;

async function nodeGpu(): Promise<GpuEntry> {
  if (dawn) return dawn;
  const mod = (await import('webgpu')) as unknown as {
    create(o: string[]): GpuEntry;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, mod.globals);
  dawn = mod.create([]);
  return dawn;
}

async function fileExists(path: string): Promise<boolean> {
  const fs = await import('node:fs');
  return fs.existsSync(path);
}

function describe(info: GPUAdapterInfo | undefined): { text: string; software: boolean } {
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s && s.length > 0);
  const text = parts.length ? parts.join(' / ') : 'unknown adapter';
  const software =
    /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(text) ||
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  return { text, software };
}

async function requestAdapter(): Promise<{ adapter: GPUAdapter; via: string } | { error: string }> {
  if (!isNode()) {
    const gpu = (globalThis as { navigator?: { gpu?: GpuEntry } }).navigator?.gpu;
    if (!gpu)
      return {
        error:
          'this browser has no WebGPU (navigator.gpu is missing; it needs a secure context such as https or 127.0.0.1)',
      };
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter ? { adapter, via: 'browser' } : { error: 'the browser offers no WebGPU adapter' };
  }
  // A user's own VK_ICD_FILENAMES wins. Otherwise SwiftShader is *added* to the drivers the
  // Vulkan loader finds (VK_ADD_DRIVER_FILES), so a hardware GPU, when present, still ranks first.
  const userIcd = process.env.VK_ICD_FILENAMES;
  const haveSwiftShader = await fileExists(SWIFTSHADER_ICD);
  if (!userIcd && haveSwiftShader) {
    const added = process.env.VK_ADD_DRIVER_FILES;
    if (!added?.includes(SWIFTSHADER_ICD))
      process.env.VK_ADD_DRIVER_FILES = added ? `${added}:${SWIFTSHADER_ICD}` : SWIFTSHADER_ICD;
  }
  let adapter: GPUAdapter | null = null;
  let loadError = '';
  try {
    adapter = await (await nodeGpu()).requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    loadError = ` (${(e as Error).message.split('\n')[0]})`;
  }
  if (adapter) return { adapter, via: 'Dawn' };
  if (userIcd) return { error: `no WebGPU adapter through VK_ICD_FILENAMES=${userIcd}${loadError}` };
  if (haveSwiftShader)
    return { error: `SwiftShader is installed but gave no adapter${loadError}; is libvulkan1 installed?` };
  return { error: `no WebGPU adapter found${loadError}` };
}

async function openGpu(): Promise<GpuEngine> {
  const got = await requestAdapter();
  if ('error' in got) throw new GpuUnavailableError(`WebGPU unavailable: ${got.error}; ${INSTALL_HINT}`);
  const { adapter } = got;
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
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const { text, software } = describe(info);
  return new GpuEngine(device, `${text} via ${got.via}`, software);
}

/** Open the compute engine. 'webgpu' throws a GpuUnavailableError naming what to install when no
 * adapter exists; 'auto' falls back to the CPU reference with one warning; 'cpu' never touches WebGPU. */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  const backend = options.backend ?? 'auto';
  const log = options.log ?? ((m: string) => console.error(m));
  if (backend !== 'auto' && backend !== 'webgpu' && backend !== 'cpu') {
    throw new Error(`unknown backend '${String(backend)}' (use auto, webgpu or cpu)`);
  }
  if (backend === 'cpu') return cpuEngine();
  try {
    const gpu = await openGpu();
    log(`specmap: WebGPU adapter: ${gpu.adapterDescription}${gpu.isSoftware ? ' (software: runs on the CPU)' : ''}`);
    return {
      backend: 'webgpu',
      description: gpu.adapterDescription,
      gpu,
      close: () => gpu.destroy(),
    };
  } catch (e) {
    if (backend === 'webgpu') throw e;
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
