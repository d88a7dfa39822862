// Opens the WebGPU engine for GPU tests. It never falls back to the CPU: with no adapter the
// test fails with the engine's message naming what to install.
import { flags, HIDE_LAVAPIPE_ENV, openEngine, type AdapterChoice, type Engine } from '../src/engine/index.js';
import { dawnAdapterNames } from '../src/engine/node-adapter.js';

export async function openTestEngine(adapter: AdapterChoice = 'auto'): Promise<Engine> {
  flags.poisonBuffers = true;
  const engine = await openEngine({ backend: 'webgpu', adapter, log: () => undefined });
  if (engine.backend !== 'webgpu' || !engine.gpu) throw new Error('GPU test got no WebGPU engine');
  return engine;
}

/** The software adapters the Node parity suites run on: SwiftShader always (a test fails when it is
 * missing), lavapipe too wherever Dawn accepts it, unless SPECMAP_NO_LAVAPIPE=1 hides it. */
export async function parityAdapters(): Promise<AdapterChoice[]> {
  if (process.env[HIDE_LAVAPIPE_ENV] === '1') return ['swiftshader'];
  const names = await dawnAdapterNames();
  return names.some((n) => n.startsWith('llvmpipe')) ? ['lavapipe', 'swiftshader'] : ['swiftshader'];
}
