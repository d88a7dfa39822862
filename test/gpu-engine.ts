// Opens the WebGPU engine for GPU tests. It never falls back to the CPU: with no adapter the
// test fails with the engine's message naming what to install.
import { flags, openEngine, type Engine } from '../src/engine/index.js';

export async function openTestEngine(): Promise<Engine> {
  flags.poisonBuffers = true;
  const engine = await openEngine({ backend: 'webgpu', log: () => undefined });
  if (engine.backend !== 'webgpu' || !engine.gpu) throw new Error('GPU test got no WebGPU engine');
  return engine;
}
