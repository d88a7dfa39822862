// Bundles the CLI and the library with esbuild; WGSL kernels are inlined as text.
import { build } from 'esbuild';

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  loader: { '.wgsl': 'text' },
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    external: ['webgpu', 'h5wasm'],
  }),
  build({
    ...common,
    entryPoints: ['src/cli/stderr-filter.ts'],
    outfile: 'dist/stderr-filter.js',
    platform: 'node',
  }),
  build({
    ...common,
    entryPoints: ['src/engine/lavapipe-probe.ts'],
    outfile: 'dist/lavapipe-probe.js',
    platform: 'node',
    external: ['webgpu'],
  }),
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.js',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    external: ['webgpu', 'node:*'],
  }),
]);
