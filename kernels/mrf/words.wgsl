// The packed label words of packed.wgsl, as the kernels that walk them one thread per word see
// them (pack, counts_flush): GX words per row and parity, and where word t's pixels lie.
// Defines: NX, NY.
const GX = (NX + 7u) / 8u;
const PACKED_WORDS = NY * 2u * GX;

// Word t = (y · 2 + q) · GX + g: its row y and its first pixel's column x0 = 8g + q (its pixels
// are x0 + 2m, m = 0..3; those with x >= NX lie past the row end).
fn word_origin(t: u32) -> vec2u {
  let row = t / GX;
  return vec2u(row >> 1u, 8u * (t - row * GX) + (row & 1u));
}
