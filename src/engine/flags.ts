// Every tuning knob of the engine, in one place, with its default and why.

export const flags = {
  /** Largest storage binding the scheduler plans for when the adapter offers more (bytes).
   * WebGPU's default is 128 MiB; we ask the adapter for its maximum and cap it here so one
   * chunk's buffers stay small enough to double-buffer. */
  maxChunkBytes: 256 * 1024 * 1024,
  /** Iterations encoded into one command buffer before a submit (EM, NMF, Gibbs sweeps). */
  iterationsPerSubmit: 25,
  /** The workgroup size every kernel is compiled with (its WG constant; kernels that tune their own
   * name it apart, e.g. RED_WG); 64 suits every vendor's SIMD width and SwiftShader. */
  workgroupSize: 64,
  /** Fill every buffer the pool hands out with NaN first (tests set this: unwritten outputs then show). */
  poisonBuffers: false,
  /** Wrap each submit in a validation error scope and throw on error (cheap; on by default). */
  validate: true,
  /** Most workgroups in one dimension of a dispatch (WebGPU's guaranteed limit). */
  maxWorkgroupsPerDimension: 65535,
};

export type Flags = typeof flags;
