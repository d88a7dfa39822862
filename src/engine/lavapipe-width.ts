// lavapipe's SIMD width (LP_NATIVE_VECTOR_WIDTH: 256 or 512 bits) is read when the Vulkan driver
// loads, so it cannot be tried inside one process. `specmap doctor` measures each width the CPU
// supports in child processes (the FMA ceiling, best of interleaved rounds) and records the winner
// per CPU model and driver install; the engine sets the recorded width before Dawn loads.

import type { PeakResult } from './ceilings.js';

export const LAVAPIPE_ICD = '/usr/share/vulkan/icd.d/lvp_icd.json';

export interface WidthRecord {
  key: string;
  /** Best GFLOP/s measured per width in bits. */
  gflops: Record<string, number>;
  width: number;
  measuredAt: string;
}

async function nodeModules() {
  const [fs, os, path] = await Promise.all([import('node:fs'), import('node:os'), import('node:path')]);
  return { fs, os, path };
}

/** Where the measurement is kept: $XDG_CACHE_HOME/specmap (default ~/.cache/specmap). */
export async function widthCachePath(): Promise<string> {
  const { os, path } = await nodeModules();
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'specmap', 'lavapipe-width.json');
}

/** A measurement holds for one CPU model, core count and lavapipe install (the ICD file's mtime). */
export async function widthKey(): Promise<string> {
  const { fs, os } = await nodeModules();
  let icd = 'no-icd';
  try {
    icd = String(fs.statSync(LAVAPIPE_ICD).mtimeMs);
  } catch {
    // lavapipe not installed: the key still names the CPU.
  }
  return `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()} | ${os.arch()} | ${icd}`;
}

/** The widths worth measuring: 256 everywhere on x86-64, 512 where the CPU has AVX-512F. */
export async function candidateWidths(): Promise<number[]> {
  const { fs, os } = await nodeModules();
  if (os.arch() !== 'x64') return [];
  let cpuinfo = '';
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return [256];
  }
  return /\bavx512f\b/.test(cpuinfo) ? [256, 512] : [256];
}

export async function readWidthRecord(): Promise<WidthRecord | undefined> {
  const { fs } = await nodeModules();
  try {
    const rec = JSON.parse(fs.readFileSync(await widthCachePath(), 'utf8')) as WidthRecord;
    return rec.key === (await widthKey()) && (rec.width === 256 || rec.width === 512) ? rec : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Measure every candidate width in child processes running `probeScript WIDTH` (it prints the
 * FMA ceiling as JSON), `rounds` interleaved rounds so drifting load hits each width alike, and
 * record the width with the best result. Returns undefined when no width could be measured.
 */
export async function measureWidths(probeScript: string, rounds = 2): Promise<WidthRecord | undefined> {
  const { fs, path } = await nodeModules();
  const { spawnSync } = await import('node:child_process');
  const widths = await candidateWidths();
  if (widths.length === 0) return undefined;
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const w of widths) {
      const run = spawnSync(process.execPath, [probeScript, String(w)], {
        env: { ...process.env, LP_NATIVE_VECTOR_WIDTH: String(w) },
        encoding: 'utf8',
        timeout: 120_000,
      });
      const line = run.stdout?.split('\n').find((l) => l.startsWith('{'));
      if (run.status !== 0 || !line) continue;
      const got = JSON.parse(line) as PeakResult;
      best[w] = Math.max(best[w] ?? 0, got.gflops);
    }
  }
  const measured = Object.entries(best);
  if (measured.length === 0) return undefined;
  const width = Number(measured.reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
  const rec: WidthRecord = { key: await widthKey(), gflops: best, width, measuredAt: new Date().toISOString() };
  const file = await widthCachePath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}
