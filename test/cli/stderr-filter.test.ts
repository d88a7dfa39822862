// The GPU drivers' native stderr noise: filtered line by line (unit), and a real `specmap fit`
// process prints only specmap's own lines on stderr unless --verbose.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNativeNoise, NoiseFilter } from '../../src/cli/stderr-filter.js';
import { parityAdapters } from '../gpu-engine.js';
import { tempDir, writeNpy } from './run-cli.js';

const DAWN =
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n';

describe('NoiseFilter', () => {
  it('drops the native libraries lines and nothing else', () => {
    expect(isNativeNoise(DAWN)).toBe(true);
    expect(isNativeNoise('error: XDG_RUNTIME_DIR is invalid or not set in the environment.')).toBe(true);
    expect(isNativeNoise('Warning: Vulkan shaderUniform*ArrayDynamicIndexing required')).toBe(true);
    expect(isNativeNoise('ERROR: [Loader Message] Code 0 : loader_scanned_icd_add')).toBe(true);
    expect(isNativeNoise('specmap: warning: the fit did not converge at pixel (1, 2)')).toBe(false);
    expect(isNativeNoise('Error: boom')).toBe(false);
    const f = new NoiseFilter();
    const out = f.push(`${DAWN}specmap: WebGPU adapter: x\n${DAWN}`) + f.flush();
    expect(out).toBe('specmap: WebGPU adapter: x\n');
  });

  it('lets progress bars and partial lines through at once, holding only what could become noise', () => {
    const f = new NoiseFilter();
    expect(f.push('\rspecmap fit [##..] 50%')).toBe('\rspecmap fit [##..] 50%');
    expect(f.push('\rspecmap fit [####] 100%\n')).toBe('\rspecmap fit [####] 100%\n');
    expect(f.push('Warn')).toBe('');
    expect(f.push('ing: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 9 to 16\nsp')).toBe('sp');
    expect(f.push('ecmap: done\n')).toBe('ecmap: done\n');
    expect(f.push('Warning: something of specmap')).toBe('');
    expect(f.push(' itself\n')).toBe('Warning: something of specmap itself\n');
    expect(f.push('Warning: cut short')).toBe('');
    expect(f.flush()).toBe('Warning: cut short');
  });
});

describe('specmap process stderr', () => {
  const bin = join(__dirname, '../../bin/specmap.js');
  const built = existsSync(join(__dirname, '../../dist/stderr-filter.js'));

  function fitMap(): string {
    const dir = tempDir();
    const ny = 3;
    const nx = 3;
    const ch = 48;
    const data = new Float32Array(ny * nx * ch);
    for (let p = 0; p < ny * nx; p++)
      for (let c = 0; c < ch; c++) data[p * ch + c] = 5 + 100 * Math.exp(-0.5 * ((c - 20 - (p % 3)) / 3) ** 2);
    return writeNpy(join(dir, 'map.npy'), data, [ny, nx, ch]);
  }

  function run(args: string[], env: Record<string, string> = {}) {
    // The test command itself runs behind the filter (scripts/quiet-stderr.mjs), which marks its
    // children as filtered; the CLI under test must start unmarked, as a user's shell starts it.
    const { SPECMAP_STDERR_FILTERED: _f, SPECMAP_STDERR_TTY: _t, ...unmarked } = process.env;
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...unmarked, ...env } });
    return { code: r.status, out: r.stdout, err: r.stderr.split('\n').filter((l) => l.length > 0) };
  }

  it('a plain fit prints only specmap lines on stderr; --verbose shows the drivers', async () => {
    expect(built, 'dist/ is not built: npm run build').toBe(true);
    const map = fitMap();
    const args = ['fit', map, '--e0', '0', '--de', '1', '--peaks', '21', '--backend', 'webgpu', '-q'];
    const plain = run([...args, '--out', join(tempDir(), 'fit')]);
    expect(plain.code, plain.err.join('\n')).toBe(0);
    for (const l of plain.err) expect(l, `stderr line not from specmap: ${l}`).toMatch(/^specmap/);
    if ((await parityAdapters()).includes('lavapipe')) {
      // lavapipe's limits make Dawn warn at every start: the filter is what hides it.
      const verbose = run([...args, '--verbose', '--out', join(tempDir(), 'fit')]);
      expect(verbose.code).toBe(0);
      expect(verbose.err.join('\n')).toMatch(/artificially reduced/);
    }
  });

  it('with lavapipe hidden, auto runs on SwiftShader and --adapter lavapipe is one line, exit 3', () => {
    expect(built, 'dist/ is not built: npm run build').toBe(true);
    const hidden = { SPECMAP_NO_LAVAPIPE: '1' };
    const doc = run(['doctor'], hidden);
    expect(doc.code, doc.err.join('\n')).toBe(0);
    expect(doc.out).toMatch(/lavapipe +hidden/);
    expect(doc.out).toMatch(/auto picks: swiftshader/);
    const map = fitMap();
    const refused = run(
      ['fit', map, '--e0', '0', '--de', '1', '--peaks', '21', '--adapter', 'lavapipe', '--out', join(tempDir(), 'f')],
      hidden,
    );
    expect(refused.code).toBe(3);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(/^specmap: --adapter lavapipe: lavapipe is hidden by SPECMAP_NO_LAVAPIPE=1/);
  });

  it('doctor picks lavapipe when Dawn accepts it', async () => {
    const doc = run(['doctor']);
    expect(doc.code, doc.err.join('\n')).toBe(0);
    const want = (await parityAdapters()).includes('lavapipe') ? 'lavapipe' : 'swiftshader';
    expect(doc.out).toMatch(new RegExp(`auto picks: ${want}`));
  });
});
