// A kernel = one WGSL file + the shared snippets it uses + the constants that specialise it.
// The constants are emitted as WGSL `const` declarations ahead of the source, so they may size
// arrays and loops; the pipeline cache key names exactly what changes the shader text.

export type Define = number | boolean | { f32: number } | { i32: number } | { u32: number };

export interface KernelSpec {
  /** Stable name of the kernel file, e.g. 'peaks/em_gauss'. Part of the cache key. */
  name: string;
  /** WGSL source of the kernel file. */
  code: string;
  /** Shared snippets (kernels/lib/*.wgsl) prepended in order. Named by `libNames` in the key. */
  libs?: { name: string; code: string }[];
  /** Specialisation constants; plain integers become u32, other numbers f32, booleans bool. */
  defines?: Record<string, Define>;
  /** Entry point; default 'main'. */
  entry?: string;
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

export function kernelSource(spec: KernelSpec): string {
  const defs = Object.entries(spec.defines ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => declare(k, v));
  const libs = (spec.libs ?? []).map((l) => `// ---- lib: ${l.name}\n${l.code}`);
  return [`// ---- kernel: ${spec.name}`, ...defs, ...libs, `// ---- body`, spec.code].join('\n');
}

export function kernelKey(spec: KernelSpec): string {
  const defs = Object.entries(spec.defines ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  const libs = (spec.libs ?? []).map((l) => l.name).join('+');
  return `${spec.name}|${spec.entry ?? 'main'}|${libs}|${defs}`;
}

/** Split a count of workgroups over x and y so neither exceeds the per-dimension limit.
 * Kernels linearise with `wid.x + wid.y * nwg.x` (see kernels/lib/index.wgsl). */
export function grid(workgroups: number, maxPerDim = 65535): [number, number, number] {
  if (workgroups <= 0) return [0, 1, 1];
  if (workgroups <= maxPerDim) return [workgroups, 1, 1];
  const y = Math.ceil(workgroups / maxPerDim);
  return [Math.ceil(workgroups / y), y, 1];
}
