// `npm run bench -- <method> [options] [--update]`: runs bench/<method>.ts (bundled with esbuild so
// the WGSL kernels load as text) and prints its table. Its JSON goes to the git-ignored bench/runs/;
// --update replaces the committed bench/results/<method>.json instead (bench/_results.ts).
// The WebGPU rows run on every adapter found (bench/_adapters.ts); `--adapter NAME` runs one.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [method, ...args] = process.argv.slice(2);
const update = args.includes('--update');
const rest = args.filter((a) => a !== '--update');
const available = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!method || !available.includes(method)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options] [--update]`);
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
const env = { ...process.env, SPECMAP_BENCH_UPDATE: update ? '1' : '0' };
// The GPU drivers' native stderr noise is filtered as in the CLI (dist/stderr-filter.js, built by
// setup); an unbuilt checkout runs unfiltered.
if (existsSync('dist/stderr-filter.js')) {
  const { runFiltered } = await import('../dist/stderr-filter.js');
  process.exit(await runFiltered(process.execPath, [outfile, ...rest], env));
}
const r = spawnSync(process.execPath, [outfile, ...rest], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
