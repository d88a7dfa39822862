// `npx tsx harness/run.ts [suite ...]`: the parity suites in headless Chromium, printed.
import { runParityInChromium } from './chromium.js';

const run = await runParityInChromium({ suites: process.argv.slice(2) });
console.log(`adapter: ${run.adapter ?? '(none)'}`);
if (run.fatal) console.log(`fatal: ${run.fatal}`);
for (const r of run.results)
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.suite}: ${r.name} (${r.ms.toFixed(0)} ms)${r.error ? `\n     ${r.error}` : ''}`,
  );
const failed = run.results.filter((r) => !r.ok).length + (run.fatal ? 1 : 0);
console.log(`${run.results.length - failed + (run.fatal ? 1 : 0)} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
