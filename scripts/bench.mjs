// `npm run bench -- <method> [options]`: runs bench/<method>.ts (bundled with esbuild so the
// WGSL kernels load as text) and prints its table. The WebGPU rows run on every adapter found
// (bench/_adapters.ts); `--adapter NAME` runs one.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [method, ...rest] = process.argv.slice(2);
const available = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!method || !available.includes(method)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(2);
}
mkdirSync('.specmap-tmp', { recursive: true });
const outfile = `.specmap-tmp/bench-${method}.mjs`;
await build({
  entryPoints: [`bench/${method}.ts`],
  bundle: true,
  outfile,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  loader: { '.wgsl': 'text' },
  external: ['webgpu'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
if (!existsSync('bench/results')) mkdirSync('bench/results', { recursive: true });
// The GPU drivers' native stderr noise is filtered as in the CLI (dist/stderr-filter.js, built by
// setup); an unbuilt checkout runs unfiltered.
if (existsSync('dist/stderr-filter.js')) {
  const { runFiltered } = await import('../dist/stderr-filter.js');
  process.exit(await runFiltered(process.execPath, [outfile, ...rest]));
}
const r = spawnSync(process.execPath, [outfile, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
