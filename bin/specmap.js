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
const { main } = await import('../dist/cli.js');
const code = await main(process.argv.slice(2));
// Dawn's Node binding keeps the event loop alive: exit explicitly once output is flushed.
process.stdout.write('', () => process.exit(code));
