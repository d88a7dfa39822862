// Buffers pooled by (usage, size class). Sizes round up to a power of two above 4 KiB steps so
// that chunks of slightly different sizes reuse the same allocations.

const NAN_BITS = 0x7fc00000;

function sizeClass(bytes: number): number {
  if (bytes <= 4096) return Math.ceil(bytes / 256) * 256;
  let s = 4096;
  while (s < bytes) s *= 2;
  // Past 64 MiB, doubling wastes too much: round to 16 MiB steps instead.
  if (s > 64 * 1024 * 1024) s = Math.ceil(bytes / (16 * 1024 * 1024)) * 16 * 1024 * 1024;
  return s;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly live = new Set<GPUBuffer>();
  allocatedBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly poison: () => boolean,
  ) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags, label: string, allowPoison = true): GPUBuffer {
    const size = sizeClass(bytes);
    const key = `${usage}:${size}`;
    const list = this.free.get(key);
    let buf = list?.pop();
    if (!buf) {
      buf = this.device.createBuffer({ size, usage, label });
      this.allocatedBytes += size;
    }
    this.live.add(buf);
    if (allowPoison && this.poison() && usage & GPUBufferUsage.COPY_DST && !(usage & GPUBufferUsage.MAP_READ)) {
      this.device.queue.writeBuffer(buf, 0, new Uint32Array(size / 4).fill(NAN_BITS));
    }
    return buf;
  }

  release(buf: GPUBuffer): void {
    if (!this.live.delete(buf)) return;
    const key = `${buf.usage}:${buf.size}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buf);
  }

  /** Free pooled buffers not in use (e.g. after a large job). */
  trim(): void {
    for (const list of this.free.values())
      for (const b of list) {
        this.allocatedBytes -= b.size;
        b.destroy();
      }
    this.free.clear();
  }

  destroyAll(): void {
    this.trim();
    for (const b of this.live) b.destroy();
    this.live.clear();
    this.allocatedBytes = 0;
  }
}
