// Features in blocks of 16 channels (4 quads), read as one mat4x4f each: the layout when the
// quads per pixel DV are a multiple of 4 (16-channel multiples). One 64-byte load costs ~30 %
// less than four vec4 loads on SwiftShader (`npm run bench -- loads`). The alternative with the
// same functions for other DV: blocks_vec4.wgsl. Used by stats.wgsl (the class sums; the distance kernels read vec4s,
// class_dist.wgsl, which measured faster there). Defines: DV.
const DB = DV / 4u;
@group(0) @binding(0) var<storage, read> data: array<mat4x4f>;

// Pixel p's channel block b (quads 4b .. 4b+3).
fn feature_block(p: u32, b: u32) -> mat4x4f {
  return data[p * DB + b];
}

// Pixel p's channel quad jv (stats.wgsl QUAD_THREADS).
fn feature_quad(p: u32, jv: u32) -> vec4f {
  return data[p * DB + jv / 4u][jv % 4u];
}
