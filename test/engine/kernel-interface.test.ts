// The engine's kernel interface: `// #import` resolution, the engine's WG constant, named
// dispatches checked against the reflected bindings and uniform fields, and buffer scopes.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  flags,
  kernelFiles,
  kernelKey,
  kernelSource,
  resolveKernel,
  type Engine,
  type GpuEngine,
} from '../../src/engine/index.js';
import { peaksLayout, packModel } from '../../src/methods/peaks/layout.js';
import { openTestEngine } from '../gpu-engine.js';

function wgslFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? wgslFiles(join(dir, e.name)) : e.name.endsWith('.wgsl') ? [join(dir, e.name)] : [],
  );
}

describe('kernel imports', () => {
  it('lists every file under kernels/ by its path', () => {
    const onDisk = wgslFiles('kernels')
      .map((f) => relative('kernels', f).replace(/\.wgsl$/, ''))
      .sort();
    expect(Object.keys(kernelFiles).sort()).toEqual(onDisk);
  });

  it('resolves imports recursively, each once, dependencies first', () => {
    const r = resolveKernel({
      name: 'test/top',
      code: '// #import b\n// #import a\nfn top() {}',
      provide: {
        a: { code: '// #import c\nfn a() {}' },
        b: { code: '// #import c\n// #import a\nfn b() {}' },
        c: { code: 'fn c() {}' },
      },
    });
    expect(r.libs.map((l) => l.path)).toEqual(['c', 'a', 'b']);
    const src = kernelSource({ name: 'test/top', code: 'fn top() {}' }, 64);
    expect(src.indexOf('const WG: u32 = 64u;')).toBeLessThan(src.indexOf('fn top'));
  });

  it('resolves a real kernel: em_pixel imports the layout, E-step, M-step and convergence files', () => {
    const r = resolveKernel({ name: 'peaks/em_pixel', provide: { 'peaks/lanes': { code: 'alias PL = vec2f;' } } });
    expect(r.libs.map((l) => l.path)).toEqual([
      'lib/index',
      'peaks/ctl',
      'peaks/layout',
      'peaks/lanes',
      'peaks/window',
      'peaks/estep',
      'peaks/mstep',
      'peaks/converge',
    ]);
  });

  it('keys the pipeline by the resolved imports, including what the caller provides', () => {
    const spec = (file: string) => ({ name: 'mrf/stats', provide: { 'mrf/blocks': { file } } });
    expect(kernelKey(spec('mrf/blocks_mat'), 64)).not.toBe(kernelKey(spec('mrf/blocks_vec4'), 64));
    const lanes = (code: string) => ({ name: 'peaks/tougaard', code: '// #import x\n', provide: { x: { code } } });
    expect(kernelKey(lanes('alias PL = vec2f;'), 64)).not.toBe(kernelKey(lanes('alias PL = vec4f;'), 64));
  });

  it('names the problem: a missing file, a cycle, an unused provide, a WG given by the caller', () => {
    expect(() => resolveKernel({ name: 'nope/x' })).toThrow('kernel nope/x: no kernel file kernels/nope/x.wgsl');
    expect(() => resolveKernel({ name: 't', code: '// #import lib/nothing\n' })).toThrow(
      'kernel t: no kernel file kernels/lib/nothing.wgsl',
    );
    expect(() =>
      resolveKernel({
        name: 't',
        code: '// #import a\n',
        provide: { a: { code: '// #import b\n' }, b: { code: '// #import a\n' } },
      }),
    ).toThrow('kernel t: import cycle t -> a -> b -> a');
    expect(() => resolveKernel({ name: 't', code: '', provide: { a: { code: '' } } })).toThrow(
      "kernel t: provides 'a', which nothing imports",
    );
    expect(() => kernelSource({ name: 't', code: '', defines: { WG: 32 } }, 64)).toThrow(
      /kernel t: WG is the engine's/,
    );
  });
});

describe('peaks layout table', () => {
  it('lays out state and model as the kernels read them, and refuses a model missing a field', () => {
    const L = peaksLayout(3, 2, 2);
    expect(L.state.size).toBe(3 * 3 + 2 + 4);
    expect(L.defines).toMatchObject({ STATE: 15, S_SIG: 3, S_W: 6, S_LL: 11, S_IT: 12, S_STATUS: 13, S_TOTAL: 14 });
    expect(L.defines).toMatchObject({ M_OFF: 8, M_RFRAC: 11, M_FIXED: 20, M_BLO: 22, M_X0: 26, M_BGA: 28, M_BGB: 30 });
    expect(L.model.size).toBe(32);
    expect(() => packModel(L, { LO: [0] })).toThrow('peaks model field HI: no values for 1');
  });
});

const ABT_ARGS = { rows: 4, inner4: 1, nq: 1 };

describe('named dispatch (fails when no adapter: GPU tests never skip)', () => {
  let engine: Engine;
  let gpu: GpuEngine;
  beforeAll(async () => {
    engine = await openTestEngine();
    gpu = engine.gpu!;
  });
  afterAll(() => engine?.close());

  it('binds buffers and uniform fields by name', async () => {
    const k = gpu.kernel({
      name: 'test/scale_add',
      code: `struct Params { n: u32, scale: f32, shift: f32 }
@group(0) @binding(2) var<uniform> prm: Params;
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@compute @workgroup_size(WG) fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < prm.n) { dst[g.x] = prm.scale * src[g.x] + prm.shift; }
}`,
    });
    expect(k.workgroupSize).toBe(flags.workgroupSize);
    const n = 300;
    const x = Float32Array.from({ length: n }, (_, i) => i - 7);
    const out = await gpu.scope(async (s) => {
      const dst = s.storage(n * 4);
      const groups = Math.ceil(n / k.workgroupSize);
      // Two dispatches with different uniform values in one submit: each keeps its own.
      gpu.submit([
        k.dispatch({ src: s.storage(x), dst }, { prm: { n, scale: 2, shift: 0.5 } }, groups),
        k.dispatch({ src: dst, dst: s.storage(n * 4) }, { prm: { n: 10, scale: 0, shift: 1 } }, 1),
      ]);
      return gpu.readF32(dst, n);
    });
    for (let i = 0; i < n; i++) expect(out[i]).toBe(2 * (i - 7) + 0.5);
  });

  // The must-show: a dispatch that misses or adds a binding name or a uniform field throws, naming
  // the kernel and the name (here on a production kernel, kernels/nmf/abt.wgsl).
  it('throws on a missing or extra buffer, uniform or uniform field, naming the kernel and the name', async () => {
    const k = gpu.kernel({ name: 'nmf/abt', defines: { QB: 1 } });
    await gpu.scope((s) => {
      const [A, B, C, D] = [s.storage(64), s.storage(64), s.storage(64), s.storage(64)];
      expect(() => k.dispatch({ A, B, C }, { P: ABT_ARGS }, 1)).not.toThrow();
      expect(() => k.dispatch({ A, B }, { P: ABT_ARGS }, 1)).toThrow("kernel nmf/abt: dispatch is missing buffer 'C'");
      expect(() => k.dispatch({ A, B, C, D }, { P: ABT_ARGS }, 1)).toThrow(
        "kernel nmf/abt: no buffer binding named 'D' (it binds: A, B, C)",
      );
      expect(() => k.dispatch({ A, B, C }, {}, 1)).toThrow("kernel nmf/abt: dispatch is missing uniform 'P'");
      expect(() => k.dispatch({ A, B, C }, { P: ABT_ARGS, Q: ABT_ARGS }, 1)).toThrow(
        "kernel nmf/abt: no uniform binding named 'Q'",
      );
      expect(() => k.dispatch({ A, B, C }, { P: { rows: 4, inner4: 1 } }, 1)).toThrow(
        "kernel nmf/abt: uniform 'P' is missing field 'nq'",
      );
      expect(() => k.dispatch({ A, B, C }, { P: { ...ABT_ARGS, pad: 0 } }, 1)).toThrow(
        "kernel nmf/abt: uniform 'P' has no field 'pad' (its fields: rows, inner4, nq)",
      );
      expect(() => k.dispatch({ A, B, C, P: D }, { P: ABT_ARGS }, 1)).toThrow(
        "kernel nmf/abt: 'P' is a uniform; give its fields among the uniform values",
      );
    });
  });

  it('reflects kernels whose typed constants name other constants (the peaks layout)', async () => {
    const k = gpu.kernel({
      name: 'test/typed_consts',
      code: `const B: u32 = A + 1u;
const HALF: f32 = 0.5;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG) fn main() { y[0] = f32(B) + HALF; }`,
      defines: { A: 2 },
    });
    const y = await gpu.scope((s) => {
      const y = s.storage(16);
      gpu.submit([k.dispatch({ y }, {}, 1)]);
      return gpu.readF32(y, 1);
    });
    expect(y[0]).toBe(3.5);
  });

  it('binds only what the entry point uses (packed.wgsl: pack and unpack)', () => {
    const defines = { K: 3, NX: 16, NY: 4 };
    for (const entry of ['pack', 'unpack']) {
      const k = gpu.kernel({ name: 'mrf/packed', entry, defines });
      expect([...k.iface.storage.keys()].sort()).toEqual(['labels', 'packed']);
    }
  });

  it('releases a scope’s buffers when its function throws', async () => {
    let held: GPUBuffer | null = null;
    await expect(
      gpu.scope((s) => {
        held = s.storage(1 << 16, 'scope-test');
        throw new Error('inside');
      }),
    ).rejects.toThrow('inside');
    const again = gpu.storage(1 << 16, 'scope-test');
    expect(again).toBe(held);
    gpu.release(again);
  });
});
