// A kernel's interface as its WGSL declares it: the buffers its entry point binds (by variable
// name) and the fields of each uniform struct, reflected with webgpu-utils. A dispatch names its
// buffers and uniform values; anything missing or extra is an Error naming the kernel and the name.

import {
  makeShaderDataDefinitions,
  makeStructuredView,
  type StructuredView,
} from 'webgpu-utils/dist/1.x/webgpu-utils.module.js';

/** Buffers by binding name (storage bindings). */
export type Buffers = Record<string, GPUBuffer>;
/** Uniform values by binding name, then by struct field (a number, or the elements of a vector or array field). */
export type UniformValues = Record<string, Record<string, number | ArrayLike<number>>>;

interface UniformSlot {
  name: string;
  binding: number;
  fields: string[];
  view: StructuredView;
}

/** The text reflection reads: module-scope `const` declarations without their type annotation
 * (webgpu-utils' WGSL reflection rejects a typed const whose value names another const). */
function forReflection(source: string): string {
  return source.replace(/^const (\w+)\s*:\s*[\w<>, ]+?\s*=/gm, 'const $1 =');
}

function listed(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : 'none';
}

export class KernelInterface {
  /** Storage bindings of the entry point, by name, with their binding numbers. */
  readonly storage: ReadonlyMap<string, number>;
  /** Uniform bindings of the entry point, by name. */
  readonly uniforms: ReadonlyMap<string, UniformSlot>;
  /** Bindings in binding order: which name fills each (for the bind group). */
  readonly order: { name: string; binding: number; uniform: boolean }[];

  constructor(
    readonly kernel: string,
    source: string,
    entry: string,
  ) {
    const defs = makeShaderDataDefinitions(forReflection(source));
    const ep = defs.entryPoints[entry];
    if (!ep) throw new Error(`kernel ${kernel}: no entry point '${entry}'`);
    const storage = new Map<string, number>();
    const uniforms = new Map<string, UniformSlot>();
    for (const r of [...ep.resources].sort((a, b) => a.entry.binding - b.entry.binding)) {
      if (r.group !== 0) throw new Error(`kernel ${kernel}: binding '${r.name}' is in group ${r.group}; use group 0`);
      const binding = r.entry.binding;
      const def = defs.uniforms[r.name];
      if (def) {
        const fields = Object.keys((def.typeDefinition as { fields?: object }).fields ?? {});
        if (!fields.length) throw new Error(`kernel ${kernel}: uniform '${r.name}' must be a struct`);
        uniforms.set(r.name, { name: r.name, binding, fields, view: makeStructuredView(def) });
      } else if (r.entry.buffer) {
        storage.set(r.name, binding);
      } else {
        throw new Error(`kernel ${kernel}: binding '${r.name}' is not a buffer`);
      }
    }
    this.storage = storage;
    this.uniforms = uniforms;
    this.order = [
      ...[...storage].map(([name, binding]) => ({ name, binding, uniform: false })),
      ...[...uniforms.values()].map((u) => ({ name: u.name, binding: u.binding, uniform: true })),
    ].sort((a, b) => a.binding - b.binding);
  }

  /** Throws unless `buffers` names exactly the storage bindings and `uniforms` exactly the uniform
   * bindings, each with exactly its struct's fields. */
  check(buffers: Buffers, uniforms: UniformValues): void {
    for (const name in buffers)
      if (!this.storage.has(name))
        throw new Error(
          this.uniforms.has(name)
            ? `kernel ${this.kernel}: '${name}' is a uniform; give its fields among the uniform values`
            : `kernel ${this.kernel}: no buffer binding named '${name}' (it binds: ${listed(this.storage.keys())})`,
        );
    for (const name of this.storage.keys())
      if (!(name in buffers)) throw new Error(`kernel ${this.kernel}: dispatch is missing buffer '${name}'`);
    for (const name in uniforms)
      if (!this.uniforms.has(name))
        throw new Error(
          `kernel ${this.kernel}: no uniform binding named '${name}' (it has: ${listed(this.uniforms.keys())})`,
        );
    for (const u of this.uniforms.values()) {
      const values = uniforms[u.name];
      if (!values) throw new Error(`kernel ${this.kernel}: dispatch is missing uniform '${u.name}'`);
      for (const f of u.fields)
        if (!(f in values)) throw new Error(`kernel ${this.kernel}: uniform '${u.name}' is missing field '${f}'`);
      for (const f in values)
        if (!u.fields.includes(f))
          throw new Error(
            `kernel ${this.kernel}: uniform '${u.name}' has no field '${f}' (its fields: ${listed(u.fields)})`,
          );
    }
  }

  /** The bytes of uniform binding `name` holding `values` (a view reused between calls: copy or write at once). */
  pack(name: string, values: Record<string, number | ArrayLike<number>>): Uint8Array {
    const u = this.uniforms.get(name)!;
    u.view.set(values);
    return new Uint8Array(u.view.arrayBuffer);
  }
}
