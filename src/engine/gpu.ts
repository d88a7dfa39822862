// The only code that touches WebGPU objects directly: pipelines, buffers, submission, readback.
// Methods describe work as kernels + named buffers and uniform values + dispatches and hand it
// to this class; buffers come from scopes that release them together.

import type { AdapterKind } from './adapter-kind.js';
import { flags } from './flags.js';
import { GpuUnavailableError } from './errors.js';
import { grid, kernelKey, kernelSource, resolveKernel, type KernelSpec } from './kernel.js';
import { KernelInterface, type Buffers, type UniformValues } from './kernel-interface.js';
import { BufferPool } from './pool.js';

export type TypedArray = Float32Array | Uint32Array | Int32Array;

/** Workgroups of a dispatch; a count is split over x/y automatically when over the per-dimension limit. */
export type Workgroups = number | [number, number, number];

/** One compute dispatch, made by Kernel.dispatch: its pipeline, the buffers in binding order and a workgroup count. */
export interface Dispatch {
  readonly kernel: Kernel;
  readonly buffers: readonly GPUBuffer[];
  readonly workgroups: Workgroups;
}

/** Most uniform buffers kept by content; the least recently used beyond this are destroyed. */
const UNIFORM_CACHE = 1024;
/** Most bind groups kept per pipeline before the pipeline's cache is emptied. */
const BIND_GROUP_CACHE = 512;

/** A compiled kernel with its reflected interface: dispatches name their buffers and uniform fields. */
export class Kernel {
  constructor(
    readonly name: string,
    readonly pipeline: GPUComputePipeline,
    readonly iface: KernelInterface,
    /** The WG constant the kernel was compiled with (flags.workgroupSize). */
    readonly workgroupSize: number,
    private readonly uniformBuffer: (words: Uint32Array) => GPUBuffer,
  ) {}

  /** A dispatch binding `buffers` (every storage binding by name) and `uniforms` (every uniform
   * binding's struct fields by name); uniform buffers are the engine's, shared by content. */
  dispatch(buffers: Buffers, uniforms: UniformValues, workgroups: Workgroups): Dispatch {
    this.iface.check(buffers, uniforms);
    const bound = this.iface.order.map((b) =>
      b.uniform ? this.uniformBuffer(this.iface.pack(b.name, uniforms[b.name]!)) : buffers[b.name]!,
    );
    return { kernel: this, buffers: bound, workgroups };
  }
}

/** Buffers taken from the pool for one piece of work and released together by close(). */
export class BufferScope {
  private readonly held: GPUBuffer[] = [];
  constructor(private readonly gpu: GpuEngine) {}

  /** A storage buffer holding `data`, or `bytes` of (possibly poisoned) space, released with the scope. */
  storage(dataOrBytes: TypedArray | number, label = 'storage'): GPUBuffer {
    const b = this.gpu.storage(dataOrBytes, label);
    this.held.push(b);
    return b;
  }

  close(): void {
    this.gpu.release(...this.held.splice(0));
  }
}

export class GpuEngine {
  readonly pool: BufferPool;
  private readonly kernels = new Map<string, Kernel>();
  private readonly interfaces = new Map<string, KernelInterface>();
  private readonly bindGroups = new WeakMap<GPUComputePipeline, Map<string, GPUBindGroup>>();
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private readonly uniforms = new Map<string, GPUBuffer>();
  private nextBufferId = 1;
  private lost: string | null = null;

  constructor(
    readonly device: GPUDevice,
    /** Human-readable adapter description: vendor, architecture, backend. */
    readonly adapterDescription: string,
    /** True when the adapter is a CPU implementation (lavapipe, SwiftShader): timings are CPU timings. */
    readonly isSoftware: boolean,
    /** Which kind of adapter: kernels may pick variants by it. */
    readonly adapterKind: AdapterKind = 'unknown',
  ) {
    this.pool = new BufferPool(device, () => flags.poisonBuffers);
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') this.lost = info.message || 'device lost';
    });
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** The workgroup size every kernel is compiled with (its WG constant). */
  get workgroupSize(): number {
    return flags.workgroupSize;
  }

  /** Largest storage buffer one binding may hold, bounded by flags.maxChunkBytes. */
  get maxBindingBytes(): number {
    return Math.min(
      this.device.limits.maxStorageBufferBindingSize,
      this.device.limits.maxBufferSize,
      flags.maxChunkBytes,
    );
  }

  /** Compile (once) a kernel and reflect its interface; cached by what changes its text (kernelKey). */
  kernel(spec: KernelSpec): Kernel {
    const wg = this.workgroupSize;
    const resolved = resolveKernel(spec);
    const key = kernelKey(spec, wg, resolved);
    let k = this.kernels.get(key);
    if (!k) {
      const code = kernelSource(spec, wg, resolved);
      const entry = spec.entry ?? 'main';
      const module = this.device.createShaderModule({ label: spec.name, code });
      const pipeline = this.device.createComputePipeline({
        label: spec.name,
        layout: 'auto',
        compute: { module, entryPoint: entry },
      });
      // Reflection parses the text once per distinct source and entry (constants change the text).
      const ifaceKey = `${entry}|${code}`;
      let iface = this.interfaces.get(ifaceKey);
      if (!iface) {
        try {
          iface = new KernelInterface(spec.name, code, entry);
        } catch (e) {
          throw new Error(`kernel ${spec.name}: cannot read its bindings: ${(e as Error).message}`);
        }
        this.interfaces.set(ifaceKey, iface);
      }
      k = new Kernel(spec.name, pipeline, iface, wg, (bytes) => this.uniformBuffer(bytes));
      this.kernels.set(key, k);
    }
    return k;
  }

  /** Compile a kernel and report WGSL compilation errors as one readable error. */
  async kernelChecked(spec: KernelSpec): Promise<Kernel> {
    this.device.pushErrorScope('validation');
    let k: Kernel | null = null;
    let failed: unknown = null;
    try {
      k = this.kernel(spec);
    } catch (e) {
      failed = e;
    }
    const err = await this.device.popErrorScope();
    if (err) {
      this.kernels.delete(kernelKey(spec, this.workgroupSize));
      throw new Error(`kernel ${spec.name} failed to compile: ${err.message}`);
    }
    if (!k) throw failed;
    return k;
  }

  /** Buffers released together when `fn` settles (returns or throws). */
  async scope<T>(fn: (s: BufferScope) => Promise<T> | T): Promise<T> {
    const s = new BufferScope(this);
    try {
      return await fn(s);
    } finally {
      s.close();
    }
  }

  /** A scope for an object that holds its buffers until its own dispose() closes it. */
  openScope(): BufferScope {
    return new BufferScope(this);
  }

  /** A storage buffer (from the pool) holding `data`, or `bytes` of (possibly poisoned) space. */
  storage(dataOrBytes: TypedArray | number, label = 'storage'): GPUBuffer {
    const bytes = typeof dataOrBytes === 'number' ? dataOrBytes : dataOrBytes.byteLength;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buf = this.pool.acquire(Math.max(bytes, 16), usage, label);
    if (typeof dataOrBytes !== 'number') this.write(buf, dataOrBytes);
    return buf;
  }

  /** The uniform buffer holding these words: one per distinct content, written once. */
  private uniformBuffer(words: Uint32Array): GPUBuffer {
    const key = words.join(',');
    let buf = this.uniforms.get(key);
    if (buf) {
      // Most recently used last: eviction takes the first.
      this.uniforms.delete(key);
      this.uniforms.set(key, buf);
      return buf;
    }
    if (this.uniforms.size >= UNIFORM_CACHE) {
      const [oldKey, old] = this.uniforms.entries().next().value!;
      this.uniforms.delete(oldKey);
      old.destroy();
    }
    buf = this.device.createBuffer({
      size: Math.max(16, Math.ceil(words.byteLength / 16) * 16),
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      label: 'uniform',
    });
    this.write(buf, words);
    this.uniforms.set(key, buf);
    return buf;
  }

  write(buf: GPUBuffer, data: TypedArray | ArrayBuffer, byteOffset = 0): void {
    const view =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // writeBuffer needs sizes in multiples of 4; all our element types are 4 bytes.
    this.device.queue.writeBuffer(buf, byteOffset, view as Uint8Array<ArrayBuffer>, 0, view.byteLength);
  }

  release(...bufs: GPUBuffer[]): void {
    for (const b of bufs) this.pool.release(b);
  }

  private bindGroup(d: Dispatch): GPUBindGroup {
    const pipeline = d.kernel.pipeline;
    let perKernel = this.bindGroups.get(pipeline);
    if (!perKernel) this.bindGroups.set(pipeline, (perKernel = new Map()));
    const key = d.buffers.map((b) => this.idOf(b)).join(',');
    let bg = perKernel.get(key);
    if (!bg) {
      if (perKernel.size >= BIND_GROUP_CACHE) perKernel.clear();
      const order = d.kernel.iface.order;
      bg = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: d.buffers.map((buffer, i) => ({ binding: order[i]!.binding, resource: { buffer } })),
      });
      perKernel.set(key, bg);
    }
    return bg;
  }

  private idOf(b: GPUBuffer): number {
    let id = this.bufferIds.get(b);
    if (id === undefined) this.bufferIds.set(b, (id = this.nextBufferId++));
    return id;
  }

  /** Encode the dispatches in order in one compute pass (each dispatch is its own usage scope in
   * WebGPU, so a dispatch sees the storage writes of the ones before it), then optional copies,
   * and submit them as one command buffer. */
  submit(
    dispatches: Dispatch[],
    copies: { src: GPUBuffer; dst: GPUBuffer; bytes: number; srcOffset?: number; dstOffset?: number }[] = [],
  ): void {
    this.assertAlive();
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const d of dispatches) {
      pass.setPipeline(d.kernel.pipeline);
      pass.setBindGroup(0, this.bindGroup(d));
      const [x, y, z] =
        typeof d.workgroups === 'number' ? grid(d.workgroups, flags.maxWorkgroupsPerDimension) : d.workgroups;
      if (x > 0) pass.dispatchWorkgroups(x, y, z);
    }
    pass.end();
    for (const c of copies) enc.copyBufferToBuffer(c.src, c.srcOffset ?? 0, c.dst, c.dstOffset ?? 0, c.bytes);
    this.device.queue.submit([enc.finish()]);
  }

  /** Read `bytes` from a storage buffer back to the host. */
  async read(buf: GPUBuffer, bytes = buf.size, byteOffset = 0): Promise<ArrayBuffer> {
    this.assertAlive();
    const staging = this.pool.acquire(bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'staging', false);
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(buf, byteOffset, staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const out = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.pool.release(staging);
    this.assertAlive();
    return out;
  }

  async readF32(buf: GPUBuffer, count: number, offset = 0): Promise<Float32Array> {
    return new Float32Array(await this.read(buf, count * 4, offset * 4));
  }

  async readU32(buf: GPUBuffer, count: number, offset = 0): Promise<Uint32Array> {
    return new Uint32Array(await this.read(buf, count * 4, offset * 4));
  }

  /** Wait for all submitted work. */
  async idle(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
    this.assertAlive();
  }

  /** Run `fn` inside a validation error scope; a validation error becomes a thrown Error. */
  async validated<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
    if (!flags.validate) return fn();
    this.device.pushErrorScope('validation');
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      await this.device.popErrorScope();
      throw e;
    }
    const err = await this.device.popErrorScope();
    if (err) throw new Error(`${what}: WebGPU validation error: ${err.message}`);
    return result;
  }

  private assertAlive(): void {
    if (this.lost) throw new GpuUnavailableError(`GPU device lost: ${this.lost}`);
  }

  destroy(): void {
    this.pool.destroyAll();
    for (const b of this.uniforms.values()) b.destroy();
    this.uniforms.clear();
    this.kernels.clear();
    this.device.destroy();
  }
}
