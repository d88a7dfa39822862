// Runs in the page: opens the browser's WebGPU engine and runs every parity suite (or the ones
// named in ?suite=a,b), publishing results on window.__specmap for the Node driver to collect.
import { openEngine } from '../src/engine/index.js';
import { flags } from '../src/engine/flags.js';
import { suites } from '../test/parity/suites.js';

export interface CaseResult {
  suite: string;
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

interface HarnessState {
  done: boolean;
  adapter?: string;
  fatal?: string;
  results: CaseResult[];
}

const state: HarnessState = { done: false, results: [] };
(globalThis as unknown as { __specmap: HarnessState }).__specmap = state;

async function main(): Promise<void> {
  const wanted = new URLSearchParams(location.search).get('suite')?.split(',').filter(Boolean);
  flags.poisonBuffers = true;
  const engine = await openEngine({ backend: 'webgpu', log: () => undefined });
  state.adapter = engine.description;
  for (const [suite, cases] of Object.entries(suites)) {
    if (wanted && !wanted.includes(suite)) continue;
    for (const c of cases) {
      const t0 = performance.now();
      try {
        await c.run(engine);
        state.results.push({ suite, name: c.name, ok: true, ms: performance.now() - t0 });
      } catch (e) {
        state.results.push({
          suite,
          name: c.name,
          ok: false,
          ms: performance.now() - t0,
          error: String((e as Error)?.message ?? e),
        });
      }
    }
  }
  engine.close();
}

main()
  .catch((e) => {
    state.fatal = String((e as Error)?.message ?? e);
  })
  .finally(() => {
    state.done = true;
  });
