// Ctrl-C in `specmap fit`: a child process (the CLI bundled from this source) gets SIGINT during
// the fit, or once maps.csv has begun; the files finished before it stay whole, the half-written
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

const [ny, nx, ch] = [400, 400, 8];

/** A ny × nx map of one Gaussian peak's counts, amplitudes varying from pixel to pixel with the seed. */
function writeMap(dir: string, seed: number): string {
  const data = new Float32Array(ny * nx * ch);
  for (let p = 0; p < ny * nx; p++) {
    const a = 40 + 20 * ((p * 0.618034 + seed * 0.1) % 1);
    for (let c = 0; c < ch; c++) data[p * ch + c] = Math.round(5 + a * Math.exp(-0.5 * ((c - 3.5) / 1.2) ** 2));
  }
  return writeNpy(join(dir, 'map.npy'), data, [ny, nx, ch]);
}

/** Run the CLI, sending SIGINT `delayMs` after `ready()` first holds; resolves with its exit and stderr. */
async function interrupted(
  argv: string[],
  ready: () => boolean,
  delayMs = 0,
): Promise<{ code: number | null; stderr: string; sent: boolean }> {
  const child = spawn(process.execPath, [runner, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.resume();
  let seen = false;
  let sent = false;
  const poll = setInterval(() => {
    if (seen || !ready()) return;
    seen = true;
    setTimeout(() => {
      sent = true;
      child.kill('SIGINT');
    }, delayMs);
  }, 2);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  return { code, stderr, sent };
}

describe('Ctrl-C', () => {
  it('while computing: exit 130 with one line, the output folder it made taken back', async () => {
    const seed = (Date.now() % 100000) + 1;
    const dir = tempDir('specmap-interrupt-');
    const input = writeMap(dir, seed);
    const out = join(dir, 'out');
    const args = ['fit', input, '--peaks', '3.5@2.8', '--init', 'user', '--tol', '0', '--ll-floor', '0'];
    const t0 = Date.now();
    // The folder is made just before the fit starts; 300 iterations of 160 000 pixels take far longer than 1 s.
    const { code, stderr, sent } = await interrupted(
      [...args, '--max-iter', '300', '--backend', 'cpu', '-q', '--out', out],
      () => existsSync(out),
      1000,
    );
    const msg = `seed ${seed}; stderr: ${stderr}`;
    expect(sent, msg).toBe(true);
    expect(code, msg).toBe(130);
    expect(stderr.trim().split('\n'), msg).toEqual(['specmap: interrupted']);
    expect(existsSync(out), msg).toBe(false);
    expect(Date.now() - t0, msg).toBeLessThan(60_000);
  });

  it('while writing: keeps the finished files, removes the partial maps.csv, exits 130 with one line', async () => {
    const seed = (Date.now() % 100000) + 1;
    const dir = tempDir('specmap-interrupt-');
    const input = writeMap(dir, seed);
    const out = join(dir, 'out');
    const args = ['fit', input, '--peaks', '3.5@2.8', '--init', 'user', '--max-iter', '1', '--backend', 'cpu'];
    const partial = join(out, '.maps.csv.partial');
    const { code, stderr, sent } = await interrupted([...args, '--csv', '-q', '--out', out], () => existsSync(partial));
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
