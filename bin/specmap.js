#!/usr/bin/env node
// The specmap command. The CLI is bundled by `npm run build` (scripts/setup.sh runs it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    "specmap: not built yet: run 'bash scripts/setup.sh' (or 'npm run build') in the specmap folder\n",
  );
  process.exit(2);
}
const args = process.argv.slice(2);
// The GPU drivers print to stderr from native code; run in a child whose stderr is filtered
// (dist/stderr-filter.js), unless --verbose asks to see them.
if (process.env.SPECMAP_STDERR_FILTERED !== '1' && !args.includes('--verbose')) {
  const { runFiltered } = await import('../dist/stderr-filter.js');
  const code = await runFiltered(process.execPath, [fileURLToPath(import.meta.url), ...args]);
  process.exit(code);
}
const { main } = await import('../dist/cli.js');
const code = await main(args);
// Dawn's Node binding keeps the event loop alive: exit explicitly once output is flushed.
process.stdout.write('', () => process.exit(code));
