// The WebGPU adapter in Node (npm `webgpu`: Dawn over the Vulkan loader). Order for 'auto': a
// hardware GPU, else Mesa's lavapipe, else SwiftShader (Debian's chromium ships it; it is *added*
// to the loader's drivers so a hardware GPU still ranks first). A user's VK_ICD_FILENAMES wins.
// lavapipe reads LP_NATIVE_VECTOR_WIDTH and LP_NUM_THREADS when it loads, so they are set here,
// before Dawn first enumerates adapters, unless the user set them.

import { adapterKindOf, type AdapterKind } from './adapter-kind.js';
import { LAVAPIPE_ICD, readWidthRecord } from './lavapipe-width.js';

export type AdapterChoice = 'auto' | 'hardware' | 'lavapipe' | 'swiftshader';
export const ADAPTER_CHOICES: readonly AdapterChoice[] = ['auto', 'hardware', 'lavapipe', 'swiftshader'];

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Set to 1 to hide lavapipe from the Vulkan loader (tests the SwiftShader-only machine). */
export const HIDE_LAVAPIPE_ENV = 'SPECMAP_NO_LAVAPIPE';

/** The name Dawn's `adapter=` flag matches (a substring of the Vulkan device name). */
const DAWN_NAME = { lavapipe: 'llvmpipe', swiftshader: 'SwiftShader' } as const;

interface GpuEntry {
  requestAdapter(o?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}
interface DawnModule {
  create(o: string[]): GpuEntry;
  globals: Record<string, unknown>;
}

let dawn: DawnModule | null = null;
const instances = new Map<string, GpuEntry>();

async function exists(path: string): Promise<boolean> {
  return (await import('node:fs')).existsSync(path);
}

/** The Vulkan environment for this process, set once before Dawn loads. */
async function prepareVulkanEnv(): Promise<void> {
  const env = process.env;
  if (!env.VK_ICD_FILENAMES && (await exists(SWIFTSHADER_ICD)) && !env.VK_ADD_DRIVER_FILES?.includes(SWIFTSHADER_ICD))
    env.VK_ADD_DRIVER_FILES = env.VK_ADD_DRIVER_FILES
      ? `${env.VK_ADD_DRIVER_FILES}:${SWIFTSHADER_ICD}`
      : SWIFTSHADER_ICD;
  if (env[HIDE_LAVAPIPE_ENV] === '1' && !env.VK_LOADER_DRIVERS_DISABLE?.includes('lvp_icd'))
    env.VK_LOADER_DRIVERS_DISABLE = env.VK_LOADER_DRIVERS_DISABLE
      ? `${env.VK_LOADER_DRIVERS_DISABLE},*lvp_icd*`
      : '*lvp_icd*';
  const os = await import('node:os');
  env.LP_NUM_THREADS ??= String(os.availableParallelism());
  if (env.LP_NATIVE_VECTOR_WIDTH === undefined) {
    const rec = await readWidthRecord();
    if (rec) env.LP_NATIVE_VECTOR_WIDTH = String(rec.width);
  }
}

async function dawnInstance(flags: string[]): Promise<GpuEntry> {
  if (!dawn) {
    await prepareVulkanEnv();
    dawn = (await import('webgpu')) as unknown as DawnModule;
    Object.assign(globalThis, dawn.globals);
  }
  const key = flags.join('\n');
  let inst = instances.get(key);
  if (!inst) {
    inst = dawn.create(flags);
    instances.set(key, inst);
  }
  return inst;
}

async function request(name: string | null): Promise<{ adapter: GPUAdapter | null; error: string }> {
  try {
    const inst = await dawnInstance(name ? [`adapter=${name}`] : []);
    return { adapter: await inst.requestAdapter({ powerPreference: 'high-performance' }), error: '' };
  } catch (e) {
    return { adapter: null, error: (e as Error).message.split('\n')[0] ?? '' };
  }
}

export function infoOf(adapter: GPUAdapter): GPUAdapterInfo | undefined {
  return (adapter as { info?: GPUAdapterInfo }).info;
}

function missing(kind: AdapterChoice): string {
  const env = process.env;
  if (kind === 'lavapipe') {
    if (env[HIDE_LAVAPIPE_ENV] === '1') return `lavapipe is hidden by ${HIDE_LAVAPIPE_ENV}=1`;
    return 'lavapipe (Mesa >= 24) not found: bash scripts/setup.sh installs it (Debian 12: mesa-vulkan-drivers from bookworm-backports)';
  }
  if (kind === 'swiftshader')
    return `SwiftShader not found (apt-get install chromium libvulkan1 installs ${SWIFTSHADER_ICD})`;
  return 'no hardware GPU adapter (a GPU driver with Vulkan is needed)';
}

export type NodeAdapter = { adapter: GPUAdapter; kind: AdapterKind; why: string } | { error: string };

/** The adapter `choice` names, or for 'auto' the best one found. */
export async function nodeAdapter(choice: AdapterChoice): Promise<NodeAdapter> {
  const userIcd = process.env.VK_ICD_FILENAMES;
  const via = userIcd ? ` through VK_ICD_FILENAMES=${userIcd}` : '';
  if (choice === 'lavapipe' || choice === 'swiftshader') {
    const got = await request(DAWN_NAME[choice]);
    const kind = adapterKindOf(got.adapter ? infoOf(got.adapter) : undefined);
    if (got.adapter && kind === choice) return { adapter: got.adapter, kind, why: `--adapter ${choice}` };
    return { error: `--adapter ${choice}: ${missing(choice)}${via}` };
  }
  const first = await request(null);
  const firstKind = adapterKindOf(first.adapter ? infoOf(first.adapter) : undefined);
  if (choice === 'hardware') {
    if (first.adapter && firstKind === 'hardware')
      return { adapter: first.adapter, kind: firstKind, why: '--adapter hardware' };
    return { error: `--adapter hardware: ${missing('hardware')}${via}` };
  }
  if (first.adapter && firstKind === 'hardware')
    return { adapter: first.adapter, kind: firstKind, why: 'a hardware GPU' };
  if (userIcd) {
    if (first.adapter) return { adapter: first.adapter, kind: firstKind, why: `VK_ICD_FILENAMES=${userIcd}` };
    return { error: `no WebGPU adapter through VK_ICD_FILENAMES=${userIcd}${first.error ? ` (${first.error})` : ''}` };
  }
  const lvp = await request(DAWN_NAME.lavapipe);
  if (lvp.adapter && adapterKindOf(infoOf(lvp.adapter)) === 'lavapipe')
    return { adapter: lvp.adapter, kind: 'lavapipe', why: 'no hardware GPU; lavapipe is the faster software adapter' };
  if (first.adapter) return { adapter: first.adapter, kind: firstKind, why: `no hardware GPU; ${missing('lavapipe')}` };
  if (await exists(SWIFTSHADER_ICD))
    return {
      error: `SwiftShader is installed but gave no adapter${first.error ? ` (${first.error})` : ''}; is libvulkan1 installed?`,
    };
  return { error: `no WebGPU adapter found${first.error ? ` (${first.error})` : ''}` };
}

/** Every adapter Dawn accepts, by Vulkan device name (Dawn's `adapter=` flag lists them when the
 * name given matches none); [] when Dawn finds none or cannot load. */
export async function dawnAdapterNames(): Promise<string[]> {
  const got = await (async () => {
    try {
      const inst = await dawnInstance(['adapter=specmap-lists-adapters']);
      await inst.requestAdapter();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  })();
  return [...got.matchAll(/name: '([^']*)'/g)].map((m) => m[1]!);
}

/** The adapter of one kind, for `specmap doctor`; null when absent. */
export async function adapterOfKind(kind: 'hardware' | 'lavapipe' | 'swiftshader'): Promise<GPUAdapter | null> {
  const got = await nodeAdapter(kind);
  return 'error' in got ? null : got.adapter;
}

export { LAVAPIPE_ICD };
