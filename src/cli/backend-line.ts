// The summary line that says where a verb computed.
import type { Engine } from '../engine/index.js';

export function backendLine(engine: Engine): string {
  if (!engine.gpu) return 'cpu (TypeScript reference, float64)';
  return `webgpu (${engine.description}${engine.gpu.isSoftware ? '; software: runs on the CPU' : ''})`;
}
