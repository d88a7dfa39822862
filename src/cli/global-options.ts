// The options every verb takes, and the output folder options of the verbs that write one.
import type { OptionTable } from '../methods/option-table.js';
import { ADAPTER_CHOICES } from '../engine/node-adapter.js';

export const GLOBAL_OPTIONS = {
  backend: {
    kind: 'choice',
    choices: ['auto', 'webgpu', 'cpu'] as const,
    default: 'auto',
    flag: 'backend',
    meta: 'auto|webgpu|cpu',
    defaultText: 'auto: WebGPU, else the CPU reference with a warning',
    help: 'where to compute',
  },
  adapter: {
    kind: 'choice',
    choices: ADAPTER_CHOICES,
    default: 'auto',
    flag: 'adapter',
    meta: 'auto|hardware|lavapipe|swiftshader',
    defaultText: "auto: a hardware GPU, else lavapipe, else SwiftShader; see 'specmap doctor'",
    help: 'which WebGPU adapter',
  },
  quiet: { kind: 'boolean', flag: 'quiet', short: 'q', help: 'no progress bars' },
  verbose: { kind: 'boolean', flag: 'verbose', help: "also show the GPU drivers' own messages (Dawn, Vulkan loader)" },
  debug: { kind: 'boolean', flag: 'debug', help: 'full stack traces on errors' },
  help: { kind: 'boolean', flag: 'help', short: 'h', help: 'this help' },
} satisfies OptionTable;

export const OUTPUT_OPTIONS = {
  out: {
    kind: 'text',
    flag: 'out',
    short: 'o',
    meta: 'DIR',
    help: 'output folder (required; refused if not empty unless --force)',
  },
  force: {
    kind: 'boolean',
    flag: 'force',
    help: 'write into a non-empty output folder (overwrites same-named files only)',
  },
} satisfies OptionTable;
