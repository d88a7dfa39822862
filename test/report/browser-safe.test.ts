// The browser-safe modules must bundle for the browser without any Node built-in.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('browser-safe modules', () => {
  for (const entry of ['src/data/io/index.ts', 'src/data/validate.ts', 'src/report/index.ts']) {
    it(`${entry} bundles for the browser with no node: import`, async () => {
      const out = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        logLevel: 'silent',
      });
      const text = out.outputFiles[0]!.text;
      expect(text.length).toBeGreaterThan(1000);
      expect(text).not.toMatch(/["']node:|require\(["'](fs|path|os)["']\)/);
    });
  }
});
