// `node scripts/quiet-stderr.mjs COMMAND ARGS…`: runs COMMAND with the native libraries' stderr
// noise (Dawn, Vulkan loader) filtered out, as the CLI does; the test command runs vitest so.
import { runFiltered } from '../dist/stderr-filter.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/quiet-stderr.mjs COMMAND [ARGS…]');
  process.exit(2);
}
process.exit(await runFiltered(command, args));
