// A kernel = one WGSL file + the libs it imports + the constants that specialise it.
// Files name their libs with `// #import <path>` lines (path under kernels/, no suffix); the
// engine resolves them recursively, each once, dependencies first. The constants are emitted as
// WGSL `const` declarations ahead of the text, so they may size arrays and loops; the pipeline
// cache key names exactly what changes the shader text.

import { kernelFiles } from './kernel-files.js';

export type Define = number | boolean | { f32: number } | { i32: number } | { u32: number };

/** What an import path resolves to when the caller supplies it: another kernel file, or code it
 * generates (e.g. type aliases whose vector width depends on the model). */
export type Provided = { file: string } | { code: string };

export interface KernelSpec {
  /** Path of the kernel file under kernels/ without the suffix, e.g. 'peaks/em_pixel'; with `code`,
   * a label for inline source (tests, benchmarks). */
  name: string;
  /** Inline WGSL source instead of the file `name` (its `// #import` lines resolve the same way). */
  code?: string;
  /** Specialisation constants; plain integers become u32, other numbers f32, booleans bool.
   * WG (the workgroup size) is the engine's own (flags.workgroupSize) and may not be given. */
  defines?: Record<string, Define>;
  /** Entry point; default 'main'. */
  entry?: string;
  /** Import paths this kernel or its libs name, supplied by the caller instead of a file of that path. */
  provide?: Record<string, Provided>;
}

/** A kernel's text in parts: its resolved libs (dependencies first) and its own source. */
export interface ResolvedKernel {
  libs: { path: string; code: string; key: string }[];
  code: string;
  /** The resolved import list as it enters the pipeline cache key. */
  key: string;
}

const IMPORT_LINE = /^\/\/ #import[ \t]+(\S+)[ \t]*$/gm;

const importCache = new Map<string, string[]>();

/** The import paths a WGSL text names, in order (memoised: kernel texts are module constants). */
export function importsOf(code: string): string[] {
  let paths = importCache.get(code);
  if (!paths) importCache.set(code, (paths = Array.from(code.matchAll(IMPORT_LINE), (m) => m[1]!)));
  return paths;
}

function fileText(path: string, kernel: string): string {
  const code = kernelFiles[path];
  if (code === undefined) throw new Error(`kernel ${kernel}: no kernel file kernels/${path}.wgsl`);
  return code;
}

const resolvedCache = new Map<string, ResolvedKernel>();

/** Resolve the kernel's source and its imports, depth first: every lib once, after the libs it
 * imports (memoised by the source and what the caller provides: kernel texts never change). */
export function resolveKernel(spec: KernelSpec): ResolvedKernel {
  let memo = spec.code === undefined ? spec.name : `${spec.name}\u0000${spec.code}`;
  if (spec.provide)
    for (const [p, v] of Object.entries(spec.provide)) memo += `\u0000${p}=${'file' in v ? v.file : v.code}`;
  let r = resolvedCache.get(memo);
  if (!r) resolvedCache.set(memo, (r = resolve(spec)));
  return r;
}

function resolve(spec: KernelSpec): ResolvedKernel {
  const provide = spec.provide ?? {};
  const code = spec.code ?? fileText(spec.name, spec.name);
  const libs: ResolvedKernel['libs'] = [];
  const done = new Set<string>();
  const used = new Set<string>();
  const visit = (path: string, chain: string[]) => {
    if (done.has(path)) return;
    if (chain.includes(path)) throw new Error(`kernel ${spec.name}: import cycle ${[...chain, path].join(' -> ')}`);
    const given = provide[path];
    if (given) used.add(path);
    const text = given ? ('code' in given ? given.code : fileText(given.file, spec.name)) : fileText(path, spec.name);
    for (const next of importsOf(text)) visit(next, [...chain, path]);
    done.add(path);
    const key = !given ? path : 'file' in given ? `${path}=${given.file}` : `${path}=${JSON.stringify(given.code)}`;
    libs.push({ path, code: text, key });
  };
  for (const path of importsOf(code)) visit(path, [spec.name]);
  for (const path of Object.keys(provide))
    if (!used.has(path)) throw new Error(`kernel ${spec.name}: provides '${path}', which nothing imports`);
  return { libs, code, key: libs.map((l) => l.key).join('+') };
}

function f32Literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`kernel constant must be finite, got ${v}`);
  const s = v.toString();
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function declare(name: string, v: Define): string {
  if (typeof v === 'boolean') return `const ${name}: bool = ${v};`;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return `const ${name}: u32 = ${v}u;`;
    return `const ${name}: f32 = ${f32Literal(v)};`;
  }
  if ('f32' in v) return `const ${name}: f32 = ${f32Literal(v.f32)};`;
  if ('i32' in v) return `const ${name}: i32 = ${Math.trunc(v.i32)}i;`;
  return `const ${name}: u32 = ${Math.trunc(v.u32)}u;`;
}

/** The spec's constants plus the engine's workgroup size, sorted by name. */
export function kernelDefines(spec: KernelSpec, workgroupSize: number): [string, Define][] {
  if (spec.defines && 'WG' in spec.defines)
    throw new Error(
      `kernel ${spec.name}: WG is the engine's workgroup size (flags.workgroupSize); name a tuned size apart`,
    );
  return Object.entries({ ...spec.defines, WG: workgroupSize }).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The shader text: constants, libs in dependency order, then the kernel's own source. */
export function kernelSource(spec: KernelSpec, workgroupSize: number, resolved = resolveKernel(spec)): string {
  const defs = kernelDefines(spec, workgroupSize).map(([k, v]) => declare(k, v));
  const libs = resolved.libs.map((l) => `// ---- lib: ${l.path}\n${l.code}`);
  return [`// ---- kernel: ${spec.name}`, ...defs, ...libs, `// ---- body`, resolved.code].join('\n');
}

function defineKey(v: Define): string {
  if (typeof v !== 'object') return String(v);
  return 'f32' in v ? `f32:${v.f32}` : 'i32' in v ? `i32:${v.i32}` : `u32:${v.u32}`;
}

/** Everything that changes the text: the file (or the inline code), entry, resolved imports, constants. */
export function kernelKey(spec: KernelSpec, workgroupSize: number, resolved = resolveKernel(spec)): string {
  const d = spec.defines ?? {};
  if ('WG' in d) kernelDefines(spec, workgroupSize); // throws, naming the kernel
  let defs = `WG=${workgroupSize}`;
  for (const k of Object.keys(d).sort()) defs += `,${k}=${defineKey(d[k]!)}`;
  const source = spec.code === undefined ? spec.name : `${spec.name}=${JSON.stringify(spec.code)}`;
  return `${source}|${spec.entry ?? 'main'}|${resolved.key}|${defs}`;
}

/** Split a count of workgroups over x and y so neither exceeds the per-dimension limit.
 * Kernels linearise with `wid.x + wid.y * nwg.x` (see kernels/lib/index.wgsl). */
export function grid(workgroups: number, maxPerDim = 65535): [number, number, number] {
  if (workgroups <= 0) return [0, 1, 1];
  if (workgroups <= maxPerDim) return [workgroups, 1, 1];
  const y = Math.ceil(workgroups / maxPerDim);
  return [Math.ceil(workgroups / y), y, 1];
}
