// Where a bench run's JSON goes. An ordinary run writes bench/runs/<name>.json (git-ignored), so
// benching leaves a clone clean; `npm run bench -- <name> --update` (scripts/bench.mjs passes it on
// as SPECMAP_BENCH_UPDATE=1) replaces the committed bench/results/<name>.json instead.
import { mkdirSync, writeFileSync } from 'node:fs';

export const RUNS_DIR = 'bench/runs';
export const RECORDED_DIR = 'bench/results';

/** Write the run's JSON text for bench `name` and say on stdout where it went. Returns the path. */
export function writeResults(name: string, text: string): string {
  const update = process.env.SPECMAP_BENCH_UPDATE === '1';
  const dir = update ? RECORDED_DIR : RUNS_DIR;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}/${name}.json`;
  writeFileSync(path, text);
  console.log(
    update
      ? `results: ${path} (the committed results, replaced as --update asked)`
      : `results: ${path} (untracked; 'npm run bench -- ${name} --update' replaces the committed ${RECORDED_DIR}/${name}.json)`,
  );
  return path;
}
