// The only code that touches WebGPU objects directly: pipelines, buffers, submission, readback.
// Methods describe work as kernels + buffers + dispatches and hand it to this class.

import type { AdapterKind } from './adapter-kind.js';
import { flags } from './flags.js';
import { GpuUnavailableError } from './errors.js';
import { grid, kernelKey, kernelSource, type KernelSpec } from './kernel.js';
import { BufferPool } from './pool.js';

export type TypedArray = Float32Array | Uint32Array | Int32Array;

/** One compute dispatch: a pipeline, its bindings (in binding order, group 0) and a workgroup count. */
export interface Dispatch {
  kernel: GPUComputePipeline;
  bindings: GPUBuffer[];
  /** Number of workgroups; split over x/y automatically when over the per-dimension limit. */
  workgroups: number | [number, number, number];
}

export class GpuEngine {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly bindGroups = new WeakMap<GPUComputePipeline, Map<string, GPUBindGroup>>();
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private lost: string | null = null;

  constructor(
    readonly device: GPUDevice,
    /** Human-readable adapter description: vendor, architecture, backend. */
    readonly adapterDescription: string,
    /** True when the adapter is a CPU implementation (SwiftShader): timings are CPU timings. */
    readonly isSoftware: boolean,
    /** Which kind of adapter this is: kernels tuned per adapter are specialised by it. */
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

  /** Largest storage buffer one binding may hold, bounded by flags.maxChunkBytes. */
  get maxBindingBytes(): number {
    return Math.min(
      this.device.limits.maxStorageBufferBindingSize,
      this.device.limits.maxBufferSize,
      flags.maxChunkBytes,
    );
  }

  /** Compile (once) the pipeline for a kernel; cached by file name + constants + entry. */
  kernel(spec: KernelSpec): GPUComputePipeline {
    const key = kernelKey(spec);
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ label: spec.name, code: kernelSource(spec) });
      p = this.device.createComputePipeline({
        label: spec.name,
        layout: 'auto',
        compute: { module, entryPoint: spec.entry ?? 'main' },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Compile a kernel and report WGSL compilation errors as one readable error. */
  async kernelChecked(spec: KernelSpec): Promise<GPUComputePipeline> {
    this.device.pushErrorScope('validation');
    const p = this.kernel(spec);
    const err = await this.device.popErrorScope();
    if (err) {
      this.pipelines.delete(kernelKey(spec));
      throw new Error(`kernel ${spec.name} failed to compile: ${err.message}`);
    }
    return p;
  }

  /** A storage buffer (from the pool) holding `data`, or `bytes` of (possibly poisoned) space. */
  storage(dataOrBytes: TypedArray | number, label = 'storage'): GPUBuffer {
    const bytes = typeof dataOrBytes === 'number' ? dataOrBytes : dataOrBytes.byteLength;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buf = this.pool.acquire(Math.max(bytes, 16), usage, label);
    if (typeof dataOrBytes !== 'number') this.write(buf, dataOrBytes);
    return buf;
  }

  /** A uniform buffer holding `data` (padded to 16 bytes). */
  uniform(data: TypedArray | ArrayBuffer, label = 'uniform'): GPUBuffer {
    const bytes = data.byteLength;
    const buf = this.pool.acquire(
      Math.max(16, Math.ceil(bytes / 16) * 16),
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      label,
    );
    this.write(buf, data);
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

  private bindGroup(kernel: GPUComputePipeline, bindings: GPUBuffer[]): GPUBindGroup {
    let perKernel = this.bindGroups.get(kernel);
    if (!perKernel) this.bindGroups.set(kernel, (perKernel = new Map()));
    const key = bindings.map((b) => this.idOf(b)).join(',');
    let bg = perKernel.get(key);
    if (!bg) {
      bg = this.device.createBindGroup({
        layout: kernel.getBindGroupLayout(0),
        entries: bindings.map((buffer, binding) => ({ binding, resource: { buffer } })),
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
      pass.setPipeline(d.kernel);
      pass.setBindGroup(0, this.bindGroup(d.kernel, d.bindings));
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
    this.pipelines.clear();
    this.device.destroy();
  }
}
