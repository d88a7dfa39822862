// `node dist/lavapipe-probe.js WIDTH`: opens lavapipe (LP_NATIVE_VECTOR_WIDTH set by the caller
// before this process loads the driver) and prints its FMA ceiling as one JSON line. `specmap
// doctor` runs it once per vector width to pick the faster one.
import { openEngine } from './device.js';
import { measureFmaPeak } from './ceilings.js';

const width = process.argv[2];
if (process.env.LP_NATIVE_VECTOR_WIDTH !== width) {
  process.stderr.write(`lavapipe-probe: LP_NATIVE_VECTOR_WIDTH must be set to ${width} by the caller\n`);
  process.exit(2);
}
const engine = await openEngine({ backend: 'webgpu', adapter: 'lavapipe', log: () => undefined });
const peak = await measureFmaPeak(engine.gpu!, 64 * 1024, 3);
engine.close();
process.stdout.write(`${JSON.stringify({ width: Number(width), ...peak, adapter: engine.description })}\n`, () =>
  process.exit(0),
);
