// `npm run bench -- loads [--rows 65536] [--cols 300] [--repeats 5] [--adapter lavapipe|swiftshader|hardware]`
//
// What a kernel's loads and arithmetic cost on this WebGPU backend. Loads, by access pattern: the floor under every
// kernel that streams a spectrum image (NMF's X·Hᵀ and Wᵀ·X read all of X each, twice per MU
// iteration). Each variant sums a rows × cols float32 matrix (78.6 MB at 65536 × 300) once and
// writes one vec4 per thread so no load can be dropped; the ALU-only variant runs the same loop
// with no loads. Reported: the best of --repeats wall times, GB/s and ns per vec4 load, beside
// numpy's single-threaded sum of the same matrix (the host's own streaming rate) and the MU floor
// the best variant implies (two passes per iteration, 100 iterations). Arithmetic: f32 lane-operations
// per second of fma, exp, log and divide in independent chains; Philox4x32-10 blocks per second here
// and in one JS thread. JSON to bench/runs/loads.json (--update: bench/results/loads.json).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { writeResults } from './_results.js';
import { formatNumber, formatTable } from '../src/cli/table.js';
import { kernelSource, openEngine, type AdapterChoice, type Buffers, type UniformValues } from '../src/engine/index.js';
import { benchAdapters } from './_adapters.js';
import { philox4x32 } from '../src/random/philox.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    cols: { type: 'string' },
    repeats: { type: 'string' },
    adapter: { type: 'string' },
  },
});
// Without --adapter: this script once per adapter found (bench/_adapters.ts), one after another,
// each in its own process so one adapter's open device does not slow the other's floors.
if (!args.adapter && !process.env.BENCH_ADAPTER) {
  let code = 0;
  for (const adapter of await benchAdapters()) {
    console.log(`\n=== loads on ${adapter} ===`);
    const r = spawnSync(process.execPath, [process.argv[1]!, ...process.argv.slice(2), '--adapter', adapter], {
      stdio: 'inherit',
    });
    code ||= r.status ?? 1;
  }
  process.exit(code);
}
const ROWS = Number(args.rows ?? 65536);
const COLS = Number(args.cols ?? 300);
const REPEATS = Number(args.repeats ?? 5);
const engine = await openEngine({
  backend: 'webgpu',
  adapter: (args.adapter ?? process.env.BENCH_ADAPTER) as AdapterChoice,
});
const gpu = engine.gpu!;
const WG = gpu.workgroupSize;
const PER = 64; // matrix rows per texel row of the texture variant
if (!(ROWS > 0 && ROWS % PER === 0 && ROWS / PER <= 8192) || !(COLS > 0 && COLS % 4 === 0 && COLS <= 512))
  throw new Error(
    '--rows: a multiple of 64 up to 524288; --cols: a multiple of 4 up to 512 (the texture holds 64 rows per texel row)',
  );
const V = COLS / 4; // vec4 per row
const TILE_ROWS = 16;
const V16 = Math.ceil(V / 4); // mat4x4 per padded row // workgroup-memory variant: rows per workgroup tile

const head = (src: string) => `${src}\n@group(0) @binding(1) var<storage, read_write> sink: array<vec4f>;\n`;
const sum = (load: (c: string) => string) => `var a = vec4f(0.0); var b = vec4f(0.0);
  for (var c = 0u; c + 1u < ${V}u; c += 2u) { a += ${load('c')}; b += ${load('c + 1u')}; }
  if (${V % 2}u == 1u) { a += ${load(`${V - 1}u`)}; }`;
const main = (body: string) =>
  `@compute @workgroup_size(WG) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) t: u32) {\n  ${body}\n}`;

interface Variant {
  name: string;
  what: string;
  code: string;
  /** The source binding: the data matrix as a storage buffer, a texture, or a small uniform block. */
  source: 'storage' | 'texture' | 'uniform' | 'padded';
  workgroups: number;
  /** vec4 loads per dispatch (0: none). */
  loads: number;
}

const TEX_W = V * PER;
const variants: Variant[] = [
  {
    name: 'vec4, row per thread',
    what: 'each thread reads its own row as vec4 (the NMF/peaks layout)',
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
      main(`let o = g.x * ${V}u; ${sum((c) => `src[o + ${c}]`)}\n  sink[g.x] = a + b;`),
    source: 'storage',
    workgroups: ROWS / WG,
    loads: ROWS * V,
  },
  {
    name: 'mat4x4 (64 B), row per thread',
    what: 'rows padded to 64 B, read 16 floats per load',
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<mat4x4f>;') +
      main(`let o = g.x * ${V16}u; var a = vec4f(0.0); var b = vec4f(0.0);
  for (var c = 0u; c < ${V16}u; c++) { let m = src[o + c]; a += m[0] + m[2]; b += m[1] + m[3]; }
  sink[g.x] = a + b;`),
    source: 'padded',
    workgroups: ROWS / WG,
    loads: ROWS * V,
  },
  {
    name: 'vec4, coalesced',
    what: 'column-major: neighbouring threads read neighbouring vec4s',
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
      main(`${sum((c) => `src[(${c}) * ${ROWS}u + g.x]`)}\n  sink[g.x] = a + b;`),
    source: 'storage',
    workgroups: ROWS / WG,
    loads: ROWS * V,
  },
  {
    name: 'texture, rgba32float',
    what: 'textureLoad of a 2-D texture holding the rows',
    code:
      head('@group(0) @binding(0) var src: texture_2d<f32>;') +
      main(
        `let x0 = (g.x % ${PER}u) * ${V}u; let y = g.x / ${PER}u; ${sum((c) => `textureLoad(src, vec2u(x0 + ${c}, y), 0)`)}\n  sink[g.x] = a + b;`,
      ),
    source: 'texture',
    workgroups: ROWS / WG,
    loads: ROWS * V,
  },
  {
    name: 'same address in every lane, storage',
    what: 'a 4 KiB block every thread reads alike (cache-resident)',
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
      main(`let o = (w.x % 8u) * 16u; ${sum((c) => `src[o + (${c}) % 128u]`)}\n  sink[g.x] = a + b;`),
    source: 'storage',
    workgroups: ROWS / WG,
    loads: ROWS * V,
  },
  {
    name: 'same address in every lane, uniform buffer',
    what: 'the same block as a uniform buffer',
    code:
      head('struct Block { v: array<vec4f, 256> }\n@group(0) @binding(0) var<uniform> src: Block;') +
      main(`let o = (w.x % 8u) * 16u; ${sum((c) => `src.v[o + (${c}) % 128u]`)}\n  sink[g.x] = a + b;`),
    source: 'uniform',
    workgroups: ROWS / WG,
    loads: ROWS * V,
  },
  {
    name: 'workgroup tile + barrier',
    what: `${TILE_ROWS} rows copied to workgroup memory, then read from there`,
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
      `var<workgroup> tile: array<vec4f, ${TILE_ROWS * V}>;\n` +
      main(`let base = w.x * ${TILE_ROWS * V}u;
  for (var c = t; c < ${TILE_ROWS * V}u; c += WG) { tile[c] = src[base + c]; }
  workgroupBarrier();
  let r = t / 4u; var a = vec4f(0.0);
  for (var c = t % 4u; c < ${V}u; c += 4u) { a += tile[r * ${V}u + c]; }
  sink[w.x * WG + t] = a;`),
    source: 'storage',
    workgroups: ROWS / TILE_ROWS,
    loads: 2 * ROWS * V,
  },
  {
    name: 'no loads (ALU only)',
    what: 'the same loop adding constants: the loop and dispatch cost',
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
      main(`var a = src[g.x % 4u]; var b = a * 0.5;
  for (var c = 0u; c + 1u < ${V}u; c += 2u) { a += vec4f(f32(c)); b += vec4f(f32(c + 1u)); }
  sink[g.x] = a + b;`),
    source: 'storage',
    workgroups: ROWS / WG,
    loads: 0,
  },
];

// X·Hᵀ's arithmetic (k multiply-adds per element of X) on the fastest load pattern, with and without
// the loads: whether a product's loads and multiply-adds add up or overlap on this backend. H sits in
// registers (a real product loads it too: this is a lower bound on the product's time).
const PRODUCT_KS = [3, 8];
const range = (n: number) => Array.from({ length: n }, (_, j) => j);
function productVariant(k: number, loads: boolean): Variant {
  // h from one load before the loop (so both variants bind src; the compiler cannot fold h).
  const acc = range(k)
    .map((j) => `var a${j} = vec4f(0.0); let h${j} = src[g.x % 4u][${j % 4}] * 1e-3 + ${(0.5 + j / 16).toFixed(4)};`)
    .join(' ');
  const cols = range(4)
    .map((q) =>
      range(k)
        .map((j) => `a${j} = fma(${loads ? `m[${q}]` : 'x'}, h${j}, a${j});`)
        .join(' '),
    )
    .join('\n    ');
  const body = loads ? `let m = src[o + c];` : `let x = vec4f(f32(c));`;
  return {
    name: `X·Hᵀ arithmetic, k = ${k}${loads ? ', mat4x4 loads' : ', no loads'}`,
    what: loads
      ? `the mat4x4 rows, ${k} vec4 multiply-adds per vec4 loaded`
      : `the same ${k} multiply-adds per vec4, on a register instead of a load`,
    code:
      head('@group(0) @binding(0) var<storage, read> src: array<mat4x4f>;') +
      main(`let o = g.x * ${V16}u; ${acc}
  for (var c = 0u; c < ${V16}u; c++) {
    ${body}
    ${cols}
  }
  sink[g.x] = ${range(k)
    .map((j) => `a${j}`)
    .join(' + ')};`),
    source: 'padded',
    workgroups: ROWS / WG,
    loads: loads ? ROWS * V : 0,
  };
}
for (const k of PRODUCT_KS) variants.push(productVariant(k, true), productVariant(k, false));

function numpySum(): number | null {
  const py = `import numpy as np, time
x = np.random.default_rng(0).random((${ROWS}, ${COLS}), dtype=np.float32)
best = 1e9
for _ in range(${REPEATS}):
    t = time.perf_counter(); x.sum(); best = min(best, time.perf_counter() - t)
print(best)`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

const bytes = ROWS * COLS * 4;
const data = new Float32Array(ROWS * COLS).map((_, i) => (i % 97) * 0.01);
const scope = gpu.openScope();
const buf = scope.storage(data, 'loads-matrix');
const padded = scope.storage(ROWS * V16 * 64, 'loads-padded');
const sink = scope.storage(ROWS * 16, 'loads-sink');
console.log(`backend: ${engine.description}; ${cpus().length} CPU cores; load average ${loadavg()[0]!.toFixed(2)}`);
console.log(`matrix ${ROWS} × ${COLS} float32 (${formatNumber(bytes / 1e6, 3)} MB), best of ${REPEATS}\n`);

/** Best of REPEATS wall times (s) of `run` after one untimed call (it compiles). */
async function bestOf(run: () => Promise<void>): Promise<number> {
  await run();
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    await run();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** Best of REPEATS wall times (s) of one dispatch of `code` binding `src` (a buffer, or a uniform's
 * fields) and the sink. */
async function timeKernel(
  code: string,
  label: string,
  src: { buffer: GPUBuffer } | { uniform: Record<string, ArrayLike<number>> },
  workgroups: number,
): Promise<number> {
  const kernel = gpu.kernel({ name: `bench/loads/${label}`, code });
  const buffers: Buffers = 'buffer' in src ? { src: src.buffer, sink } : { sink };
  const uniforms: UniformValues = 'uniform' in src ? { src: src.uniform } : {};
  const d = kernel.dispatch(buffers, uniforms, workgroups);
  return bestOf(async () => {
    gpu.submit([d]);
    await gpu.idle();
  });
}

/** The texture variant: textures are outside the engine's kernel interface (buffers and uniform
 * structs), so this one probe binds through WebGPU directly, with the engine's kernel text. */
async function timeTextureKernel(code: string, label: string, workgroups: number): Promise<number> {
  const dev = gpu.device;
  const tex = dev.createTexture({
    size: [TEX_W, ROWS / PER],
    format: 'rgba32float',
    usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
  });
  dev.queue.writeTexture({ texture: tex }, data, { bytesPerRow: TEX_W * 16, rowsPerImage: ROWS / PER }, [
    TEX_W,
    ROWS / PER,
  ]);
  const module = dev.createShaderModule({ label, code: kernelSource({ name: label, code }, WG) });
  const pipeline = dev.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = dev.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: tex.createView() },
      { binding: 1, resource: { buffer: sink } },
    ],
  });
  const best = await bestOf(async () => {
    const enc = dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups);
    pass.end();
    dev.queue.submit([enc.finish()]);
    await dev.queue.onSubmittedWorkDone();
  });
  tex.destroy();
  return best;
}

const rows: Record<string, unknown>[] = [];
for (const v of variants) {
  const best =
    v.source === 'texture'
      ? await timeTextureKernel(v.code, v.name, v.workgroups)
      : await timeKernel(
          v.code,
          v.name,
          v.source === 'uniform'
            ? { uniform: { v: data.subarray(0, 1024) } }
            : { buffer: v.source === 'padded' ? padded : buf },
          v.workgroups,
        );
  rows.push({
    variant: v.name,
    what: v.what,
    seconds: best,
    gbPerSecond: v.loads ? bytes / best / 1e9 : null,
    nsPerVec4Load: v.loads ? (best * 1e9) / v.loads : null,
  });
}

// Arithmetic: four independent vec4 chains per thread, OP_ITERS steps, no memory traffic in the
// loop (as measureFmaPeak): what one lane-operation of each kind costs, fma the reference. The
// peak-fitting E-step spends an exp and a log per channel beside its multiply-adds.
const OP_THREADS = 64 * 512;
const OP_ITERS = 1024;
const OPS: [string, (v: string) => string][] = [
  ['fma', (v) => `fma(${v}, m, k)`],
  ['exp', (v) => `exp(${v} * m - k)`],
  ['log', (v) => `log(${v} + m)`],
  ['divide', (v) => `m / (${v} + k)`],
];
const opRows: { op: string; seconds: number; gLaneOps: number }[] = [];
for (const [op, f] of OPS) {
  const code =
    head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
    main(`var a = src[g.x % 4u] * 1e-3 + vec4f(0.1, 0.2, 0.3, 0.4); var b = a + vec4f(0.5); var c = a + vec4f(0.25); var d = a + vec4f(0.125);
  let m = vec4f(0.9999); let k = vec4f(1e-4);
  for (var i = 0u; i < ${OP_ITERS}u; i++) { a = ${f('a')}; b = ${f('b')}; c = ${f('c')}; d = ${f('d')}; }
  sink[g.x] = a + b + c + d;`);
  const seconds = await timeKernel(code, op, { buffer: buf }, OP_THREADS / WG);
  opRows.push({ op, seconds, gLaneOps: (OP_THREADS * OP_ITERS * 16) / seconds / 1e9 });
}
// Philox4x32-10, specmap's one random generator (kernels/lib/rng.wgsl; u32 multiplies and the
// 16-bit-halves mulhi, no f32): blocks per second on this backend and in one JS thread
// (src/random/philox.ts, as the CPU references call it). A Gibbs label update takes a quarter block.
const PH_ITERS = 64;
const phCode =
  '// #import lib/rng\n' +
  head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
  main(`var acc = bitcast<vec4u>(src[g.x % 4u]);
  for (var i = 0u; i < ${PH_ITERS}u; i++) { acc ^= philox4x32(vec4u(g.x, i, acc.x & 1u, 0u), vec2u(7u, 3u)); }
  sink[g.x] = bitcast<vec4f>(acc);`);
const phSeconds = await timeKernel(phCode, 'philox', { buffer: buf }, OP_THREADS / WG);
const phGpu = (OP_THREADS * PH_ITERS) / phSeconds;
// The peak-fitting E-step's arithmetic alone, for 2 Gaussians + 2 background lines (the bench's
// model): per channel the axis value, each peak's offset, scaled offset and exp, the background
// lines, the mixture, its clamp and log, counts / mixture, the 5 sums per peak and 1 per
// background, the log-likelihood and its change: the operations no E-step of this model can skip,
// on registers (no loads, counts made up from the channel index). Its time per channel is the floor
// under any peaks kernel on this backend.
const ES_CHANNELS = 281;
const ES_REPEATS = 8;
const esCode =
  head('@group(0) @binding(0) var<storage, read> src: array<vec4f>;') +
  main(`let v = src[g.x % 4u];
  let p = vec2f(-0.2, 0.25) + v.xy * 1e-3; let i = vec2f(20.0, 18.0); let c = vec2f(1.0, 0.6); let ba = vec2f(0.3, 0.2); let bb = vec2f(0.1, -0.1);
  var n0 = vec2f(0.0); var a0 = vec2f(0.0); var b0 = vec2f(0.0); var nb = vec2f(0.0); var ll = 0.0; var dll = 0.0; var lmp = 0.0;
  for (var r = 0u; r < ${ES_REPEATS}u; r++) {
    for (var n = 0u; n < ${ES_CHANNELS}u; n++) {
      let y = f32((n + g.x) & 7u) + 1.0;
      let xs = fma(f32(n), 0.0071, -1.0);
      let d = vec2f(xs) - p;
      let z = d * i;
      let t = exp(fma(-0.5 * z, z, c));
      let tb = fma(bb, vec2f(xs), ba);
      let s = max(t.x + t.y + tb.x + tb.y, 1e-30);
      let lm = log(s);
      ll = fma(y, lm, ll);
      dll = fma(y, lm - lmp, dll);
      lmp = lm;
      let q = y / s;
      let w = t * q;
      let wd = w * d;
      n0 += w;
      a0 += wd;
      b0 = fma(wd, d, b0);
      nb = fma(tb, vec2f(q), nb);
    }
  }
  sink[g.x] = vec4f(n0 + a0 + b0 + nb, ll, dll);`);
const esSeconds = await timeKernel(esCode, 'estep-arithmetic', { buffer: buf }, OP_THREADS / WG);
const esNsPerChannel = (esSeconds * 1e9) / (OP_THREADS * ES_CHANNELS * ES_REPEATS);
scope.close();
engine.close();
const phJs = (() => {
  const out = new Uint32Array(4);
  const n = 1 << 20;
  let best = Infinity;
  let x = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) x ^= philox4x32(i, r, x & 1, 0, 7, 3, out)[0]!;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  if (x === 0.5) console.log(x); // keeps the loop's result alive
  return n / best;
})();

const np = numpySum();
const best = Math.min(
  ...rows
    .filter((r) => r.gbPerSecond !== null && !String(r.variant).startsWith('same'))
    .map((r) => r.seconds as number),
);
console.log(
  formatTable(
    ['access pattern', 'ms per pass', 'GB/s', 'ns per vec4 load', 'what'],
    [
      ...rows.map((r) => [
        r.variant as string,
        formatNumber((r.seconds as number) * 1000, 3),
        r.gbPerSecond === null ? '' : formatNumber(r.gbPerSecond as number, 3),
        r.nsPerVec4Load === null ? '' : formatNumber(r.nsPerVec4Load as number, 3),
        r.what as string,
      ]),
      ...(np === null
        ? []
        : [
            [
              'numpy x.sum(), one host thread',
              formatNumber(np * 1000, 3),
              formatNumber(bytes / np / 1e9, 3),
              '',
              'the same matrix read by the host CPU (python3-numpy)',
            ],
          ]),
    ],
  ),
);
console.log(
  `\nMU floor implied by the fastest full-matrix pattern: 2 passes × 100 iterations = ${formatNumber(200 * best, 3)} s (loads alone, no arithmetic).`,
);
const timeOf = (name: string) => rows.find((r) => r.variant === name)!.seconds as number;
const mat = timeOf('mat4x4 (64 B), row per thread');
const products = PRODUCT_KS.map((k) => {
  const both = timeOf(`X·Hᵀ arithmetic, k = ${k}, mat4x4 loads`);
  const alu = timeOf(`X·Hᵀ arithmetic, k = ${k}, no loads`);
  console.log(
    `X·Hᵀ, k = ${k}: loads + multiply-adds ${formatNumber(both * 1000, 3)} ms per pass; loads alone ${formatNumber(mat * 1000, 3)} + multiply-adds alone ${formatNumber(alu * 1000, 3)} = ${formatNumber((mat + alu) * 1000, 3)} ms; ` +
      `MU floor (2 such passes × 100 iterations, H free) ${formatNumber(200 * both, 3)} s`,
  );
  return { k, secondsWithLoads: both, secondsArithmeticOnly: alu, secondsLoadsOnly: mat, muFloorSeconds: 200 * both };
});
console.log('');
const fma = opRows[0]!.gLaneOps;
console.log(
  formatTable(
    ['operation (f32 lane)', 'G lane-ops/s', 'cost in fma'],
    opRows.map((r) => [r.op, formatNumber(r.gLaneOps, 3), formatNumber(fma / r.gLaneOps, 3)]),
  ),
);
console.log(
  `\nPhilox4x32-10: ${formatNumber(phGpu / 1e6, 3)} M blocks/s on this backend, ${formatNumber(phJs / 1e6, 3)} M blocks/s in one JS thread (${formatNumber(phGpu / phJs, 3)}×); ` +
    `a Gibbs label update takes a quarter block: the generator alone caps the sweep at ${formatNumber((4 * phGpu) / 1e6, 3)} M updates/s here.`,
);
const philox = { gpuBlocksPerSecond: phGpu, jsBlocksPerSecond: phJs, gpuOverJs: phGpu / phJs };
console.log(
  `Peak-fitting E-step arithmetic alone (2 Gaussians + 2 background lines, registers only): ${formatNumber(esNsPerChannel, 3)} ns per channel-iteration; ` +
    `for the peaks bench's 281 channels that is ${formatNumber(esNsPerChannel * 281 * 1e-3, 3)} µs per pixel-iteration, the floor under any kernel for that model here.`,
);
const estep = { nsPerChannel: esNsPerChannel, channels: ES_CHANNELS, repeats: ES_REPEATS };
// SwiftShader's floors keep their historical name; other adapters get loads-<kind>.
writeResults(
  gpu.adapterKind === 'swiftshader' ? 'loads' : `loads-${gpu.adapterKind}`,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      backend: engine.description,
      adapterKind: gpu.adapterKind,
      cpus: cpus().length,
      load: loadavg()[0],
      rows: ROWS,
      cols: COLS,
      results: rows,
      numpySumSeconds: np,
      muFloorSeconds: 200 * best,
      products,
      arithmetic: opRows,
      philox,
      estep,
    },
    null,
    2,
  ),
);
process.exit(0);
