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
    // A timeout only catches a hang. The longest test took 36 s (a file 74 s) in a full run on these
    // 2 cores under load ~10 (other jobs), and the longest event-loop block was 9 s (vitest's
    // worker RPC gives up at 60 s); 300 s leaves a slower CI machine 8x.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
