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
  /** The struct's bytes as words, and each scalar field's word and type (others go through `view`). */
  words: { u32: Uint32Array; i32: Int32Array; f32: Float32Array };
  scalars: Map<string, { at: number; type: 'u32' | 'i32' | 'f32' }>;
}

type FieldDefs = Record<string, { offset: number; type: { type?: string; numElements?: number } }>;

function uniformSlot(name: string, binding: number, def: Parameters<typeof makeStructuredView>[0]): UniformSlot {
  const fields = ((def as { typeDefinition: { fields?: FieldDefs } }).typeDefinition.fields ?? {}) as FieldDefs;
  const view = makeStructuredView(def);
  const buf = view.arrayBuffer;
  const scalars = new Map<string, { at: number; type: 'u32' | 'i32' | 'f32' }>();
  for (const [f, d] of Object.entries(fields)) {
    const t = d.type.type;
    if ((t === 'u32' || t === 'i32' || t === 'f32') && d.type.numElements === undefined)
      scalars.set(f, { at: d.offset / 4, type: t });
  }
  const words = { u32: new Uint32Array(buf), i32: new Int32Array(buf), f32: new Float32Array(buf) };
  return { name, binding, fields: Object.keys(fields), view, words, scalars };
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
        const slot = uniformSlot(r.name, binding, def);
        if (!slot.fields.length) throw new Error(`kernel ${kernel}: uniform '${r.name}' must be a struct`);
        uniforms.set(r.name, slot);
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

  /** The words of uniform binding `name` holding `values` (reused between calls: copy or write at once). */
  pack(name: string, values: Record<string, number | ArrayLike<number>>): Uint32Array {
    const u = this.uniforms.get(name)!;
    for (const f of u.fields) {
      const v = values[f]!;
      const s = u.scalars.get(f);
      if (s && typeof v === 'number') u.words[s.type][s.at] = v;
      else u.view.set({ [f]: v });
    }
    return u.words.u32;
  }
}
