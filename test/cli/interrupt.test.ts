// Ctrl-C while `specmap fit` writes its outputs: a child process (the CLI bundled from this source)
// gets SIGINT once maps.csv has begun; the files finished before it stay whole, the half-written
// one is removed, and the run ends with exit 130 and one line on stderr.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/io/npy.js';
import { tempDir, writeNpy } from './run-cli.js';

// Inside the repository, so the bundle's external packages resolve from node_modules.
const bundleDir = join('.specmap-tmp', `interrupt-${process.pid}`);
const runner = join(bundleDir, 'run.mjs');

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  await build({
    entryPoints: ['src/cli/main.ts'],
    outfile: join(bundleDir, 'cli.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    loader: { '.wgsl': 'text' },
    external: ['webgpu', 'h5wasm'],
    logLevel: 'warning',
  });
  writeFileSync(
    runner,
    "const { main } = await import('./cli.mjs');\nconst code = await main(process.argv.slice(2));\nprocess.exit(code);\n",
  );
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

describe('Ctrl-C while writing', () => {
  it('keeps the finished files, removes the partial maps.csv, exits 130 with one line', async () => {
    const seed = (Date.now() % 100000) + 1;
    const dir = tempDir('specmap-interrupt-');
    const [ny, nx, ch] = [400, 400, 8];
    // Counts of one Gaussian peak with a little pixel-to-pixel variation (a Weyl sequence from the seed).
    const data = new Float32Array(ny * nx * ch);
    for (let p = 0; p < ny * nx; p++) {
      const a = 40 + 20 * ((p * 0.618034 + seed * 0.1) % 1);
      for (let c = 0; c < ch; c++) data[p * ch + c] = Math.round(5 + a * Math.exp(-0.5 * ((c - 3.5) / 1.2) ** 2));
    }
    const input = writeNpy(join(dir, 'map.npy'), data, [ny, nx, ch]);
    const out = join(dir, 'out');
    const args = ['fit', input, '--peaks', '3.5@2.8', '--init', 'user', '--max-iter', '1', '--backend', 'cpu'];
    const child = spawn(process.execPath, [runner, ...args, '--csv', '-q', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.resume();
    const partial = join(out, '.maps.csv.partial');
    let sent = false;
    const poll = setInterval(() => {
      if (!sent && existsSync(partial)) {
        sent = true;
        child.kill('SIGINT');
      }
    }, 2);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearInterval(poll);
    const msg = `seed ${seed}; stderr: ${stderr}`;
    expect(sent, `maps.csv was never seen being written (${msg})`).toBe(true);
    expect(code, msg).toBe(130);
    expect(stderr.trim().split('\n'), msg).toEqual([
      `specmap: interrupted while writing maps.csv (the partial file was removed); the files finished before it stay in ${out}/`,
    ]);
    const names = readdirSync(out).sort();
    expect(names, msg).not.toContain('maps.csv');
    expect(
      names.filter((n) => n.endsWith('.partial')),
      msg,
    ).toEqual([]);
    expect(names, msg).not.toContain('index.html');
    // Every map was written before the table, each one whole.
    const npy = names.filter((n) => n.endsWith('.npy'));
    expect(npy, msg).toContain('p1_position.npy');
    for (const n of npy) expect(parseNpy(readFileSync(join(out, n)), n).shape, `${n}: ${msg}`).toEqual([ny, nx]);
  });
});
