// The chunk's control block (a uniform), shared by the EM kernels (layout.wgsl) and the Tougaard
// template kernel (tougaard.wgsl); the host writes it in src/methods/peaks/gpu.ts.
struct Ctl {
  // Pixels in this chunk (the stride of the channel-major arrays of em_pixel).
  npix: u32,
  // Entries of `live_pixels`.
  count: u32,
  // EM iterations per dispatch.
  iters: u32,
}
