// The WebGPU adapters a bench runs its WebGPU rows on, one after another in the same run: a
// hardware GPU when present, and every software adapter Dawn accepts (lavapipe, SwiftShader).
// `--adapter NAME` (or BENCH_ADAPTER=NAME) runs one. Each engine is closed before the next opens:
// an open Dawn device keeps a core busy, which would slow the other adapter's rows.
import { openEngine, type AdapterChoice, type Engine, type GpuEngine } from '../src/engine/index.js';
import { dawnAdapterNames } from '../src/engine/node-adapter.js';

export async function benchAdapters(only: string | undefined = process.env.BENCH_ADAPTER): Promise<AdapterChoice[]> {
  if (only) return [only as AdapterChoice];
  const names = await dawnAdapterNames();
  const found: AdapterChoice[] = [];
  if (names.some((n) => !/llvmpipe|SwiftShader/i.test(n))) found.push('hardware');
  if (names.some((n) => n.startsWith('llvmpipe'))) found.push('lavapipe');
  if (names.some((n) => n.startsWith('SwiftShader'))) found.push('swiftshader');
  if (found.length === 0) throw new Error('no WebGPU adapter found (see specmap doctor)');
  return found;
}

export async function openBenchEngine(adapter: AdapterChoice): Promise<Engine> {
  const engine = await openEngine({ backend: 'webgpu', adapter, log: () => undefined });
  console.error(`  WebGPU adapter: ${engine.description}`);
  return engine;
}

/** How a row names where it ran: software adapters run on the CPU cores. */
export function whereLabel(gpu: GpuEngine): string {
  if (gpu.adapterKind === 'lavapipe') return 'lavapipe = CPU';
  if (gpu.adapterKind === 'swiftshader') return 'SwiftShader = CPU';
  return gpu.isSoftware ? 'software = CPU' : 'GPU';
}

/** One adapter for the machine line of a result file. */
export function adapterDescription(gpu: GpuEngine): string {
  return `${gpu.adapterDescription}${gpu.isSoftware ? ' (software: runs on the CPU)' : ''}`;
}
