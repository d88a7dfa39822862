import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Load kernels/*.wgsl as strings, exactly as esbuild's 'text' loader does for the CLI and browser bundles.
const wgslAsText = {
  name: 'wgsl-as-text',
  load(id: string) {
    if (!id.endsWith('.wgsl')) return null;
    return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
  },
};

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two cores: GPU tests run on SwiftShader, i.e. on those same cores. Files run one or two at a time.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
