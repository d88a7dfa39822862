// A bench run's JSON goes to the git-ignored bench/runs/ unless --update asked for the committed
// bench/results/ (scripts/bench.mjs passes --update on as SPECMAP_BENCH_UPDATE=1).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeResults } from '../../bench/_results.js';
import { tempDir } from '../cli/run-cli.js';

const here = process.cwd();
afterEach(() => {
  process.chdir(here);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('bench results', () => {
  it('an ordinary run writes bench/runs/, says so, and leaves bench/results/ alone', () => {
    process.chdir(tempDir());
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('SPECMAP_BENCH_UPDATE', '0');
    expect(writeResults('nmf', '{"a":1}\n')).toBe('bench/runs/nmf.json');
    expect(readFileSync(join('bench', 'runs', 'nmf.json'), 'utf8')).toBe('{"a":1}\n');
    expect(existsSync(join('bench', 'results'))).toBe(false);
    expect(log.mock.calls[0]![0]).toBe(
      "results: bench/runs/nmf.json (untracked; 'npm run bench -- nmf --update' replaces the committed bench/results/nmf.json)",
    );
    vi.stubEnv('SPECMAP_BENCH_UPDATE', '1');
    expect(writeResults('nmf', '{"a":2}\n')).toBe('bench/results/nmf.json');
    expect(readFileSync(join('bench', 'results', 'nmf.json'), 'utf8')).toBe('{"a":2}\n');
  });

  it('bench/runs/ and the demo folder are git-ignored', () => {
    const ignored = execFileSync('git', ['check-ignore', 'bench/runs/nmf.json', 'specmap-demo/index.html'], {
      encoding: 'utf8',
    });
    expect(ignored.trim().split('\n')).toEqual(['bench/runs/nmf.json', 'specmap-demo/index.html']);
  });
});
