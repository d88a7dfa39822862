// Features in blocks of 16 channels (4 quads) for DV not a multiple of 4, read one vec4 at a
// time. Same functions as blocks_mat.wgsl.
// Defines: DV.
const DB = (DV + 3u) / 4u;
@group(0) @binding(0) var<storage, read> data: array<vec4f>;

// Pixel p's channel block b (quads 4b .. 4b+3; zeros past DV, which are not loaded).
fn feature_block(p: u32, b: u32) -> mat4x4f {
  let q = p * DV + 4u * b;
  var m = mat4x4f();
  m[0] = data[q];
  if (4u * b + 1u < DV) { m[1] = data[q + 1u]; }
  if (4u * b + 2u < DV) { m[2] = data[q + 2u]; }
  if (4u * b + 3u < DV) { m[3] = data[q + 3u]; }
  return m;
}

// Pixel p's channel quad jv (stats.wgsl QUAD_THREADS).
fn feature_quad(p: u32, jv: u32) -> vec4f {
  return data[p * DV + jv];
}
