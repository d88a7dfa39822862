// `specmap doctor`: which WebGPU adapters this machine offers (hardware, lavapipe, SwiftShader),
// their versions, lavapipe's vector width and how it was chosen, and which adapter 'auto' picks.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  adapterKindOf,
  HIDE_LAVAPIPE_ENV,
  LAVAPIPE_ICD,
  SWIFTSHADER_ICD,
  type AdapterChoice,
} from '../../engine/index.js';
import { candidateWidths, measureWidths, readWidthRecord, widthCachePath } from '../../engine/lavapipe-width.js';
import { dawnAdapterNames, infoOf, nodeAdapter } from '../../engine/node-adapter.js';
import type { Verb, VerbContext } from '../verb.js';

const USAGE = `specmap doctor [--measure]

Lists the WebGPU adapters found (a hardware GPU, Mesa's lavapipe, SwiftShader) with their
versions, lavapipe's SIMD width and threads, and which adapter --adapter auto picks and why.
lavapipe's vector width (256 or 512 bits, LP_NATIVE_VECTOR_WIDTH) is measured once per CPU and
lavapipe install, in child processes, and recorded in the user's cache folder; the engine then
sets it before the driver loads (a user's LP_NATIVE_VECTOR_WIDTH wins).

  --measure            measure lavapipe's vector widths again`;

function describeInfo(info: GPUAdapterInfo | undefined): string {
  if (!info) return 'unknown';
  const bits = /(\d+)-bits/.exec(info.device)?.[1];
  const parts = [info.description || info.device];
  if (bits) parts.push(`${bits}-bit vectors`);
  return parts.join(', ');
}

async function vectorWidthLine(ctx: VerbContext, lavapipeVisible: boolean): Promise<string> {
  const env = process.env;
  if (!lavapipeVisible) return 'lavapipe vector width: -';
  if (env.LP_NATIVE_VECTOR_WIDTH)
    return `lavapipe vector width: ${env.LP_NATIVE_VECTOR_WIDTH} (LP_NATIVE_VECTOR_WIDTH set by you)`;
  const widths = await candidateWidths();
  if (widths.length === 0) return "lavapipe vector width: Mesa's default (not an x86-64 CPU)";
  let rec = ctx.values.measure === true ? undefined : await readWidthRecord();
  const probe = fileURLToPath(new URL('./lavapipe-probe.js', import.meta.url));
  if (!rec) {
    if (!existsSync(probe)) return `lavapipe vector width: not measured (${probe} missing: npm run build)`;
    ctx.warn(`specmap doctor: measuring lavapipe at ${widths.join(' and ')}-bit vectors…`);
    rec = await measureWidths(probe);
  }
  if (!rec) return 'lavapipe vector width: the measurement failed; Mesa chooses its default';
  const each = Object.entries(rec.gflops)
    .map(([w, g]) => `${w}-bit ${g.toFixed(1)} GFLOP/s`)
    .join(', ');
  return `lavapipe vector width: ${rec.width} bits (FMA ceiling measured ${rec.measuredAt.slice(0, 10)}: ${each}; ${await widthCachePath()})`;
}

export const doctor: Verb = {
  name: 'doctor',
  summary: 'list the WebGPU adapters found and which one runs (and why)',
  usage: USAGE,
  options: { measure: { type: 'boolean' } },
  usesEngine: false,
  async run(ctx: VerbContext) {
    const env = process.env;
    const lavapipeHidden = env[HIDE_LAVAPIPE_ENV] === '1';
    const lavapipeFile = existsSync(LAVAPIPE_ICD);
    // Measure before this process loads any Vulkan driver: the width is fixed at load.
    const widthLine = await vectorWidthLine(ctx, lavapipeFile && !lavapipeHidden && !env.VK_ICD_FILENAMES);
    const names = await dawnAdapterNames();
    ctx.out(`specmap doctor: adapters Dawn accepts: ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'none'}`);
    if (env.VK_ICD_FILENAMES)
      ctx.out(`  VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES} (yours: only these drivers are seen)`);
    for (const kind of ['hardware', 'lavapipe', 'swiftshader'] as const) {
      const got = await nodeAdapter(kind);
      let line: string;
      if (!('error' in got)) {
        line = describeInfo(infoOf(got.adapter));
        if (kind === 'lavapipe') line += `, ${env.LP_NUM_THREADS ?? '?'} threads (LP_NUM_THREADS)`;
      } else if (kind === 'lavapipe' && lavapipeHidden) line = `hidden (${HIDE_LAVAPIPE_ENV}=1)`;
      else if (kind === 'lavapipe' && lavapipeFile)
        line = `installed (${LAVAPIPE_ICD}) but refused by Dawn (needs Mesa >= 24: bash scripts/setup.sh)`;
      else if (kind === 'lavapipe') line = 'not installed (bash scripts/setup.sh installs it)';
      else if (kind === 'swiftshader')
        line = existsSync(SWIFTSHADER_ICD)
          ? 'installed but no adapter (libvulkan1?)'
          : 'not installed (apt-get install chromium)';
      else line = 'none';
      ctx.out(`  ${kind.padEnd(12)} ${line}`);
    }
    ctx.out(widthLine);
    const auto = await nodeAdapter('auto' as AdapterChoice);
    if ('error' in auto) ctx.out(`auto picks: nothing (${auto.error}); the CPU reference runs`);
    else ctx.out(`auto picks: ${adapterKindOf(infoOf(auto.adapter))} (${auto.why})`);
  },
};
