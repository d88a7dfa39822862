// What the replica-exchange driver asks of a backend: the float64 CPU reference (cpu.ts) and the
// WebGPU kernel (gpu.ts) advance the same state (batch.ts, layout.ts) by the same steps.
import type { RemcBatch, RemcState } from './batch.js';

export interface RemcRun {
  /** Advance every group by `count` sweeps starting at sweep index `sweep0` (work may be queued). */
  run(sweep0: number, count: number): void;
  /** Wait until the queued sweeps are done (progress and abort between submits). */
  sync(): Promise<void>;
  /** The state after every queued sweep. */
  read(): Promise<RemcState>;
  dispose(): void;
}

export interface RemcBackend {
  readonly name: 'cpu' | 'webgpu';
  start(batch: RemcBatch, init: RemcState): RemcRun;
}
