// Squared distance of pixel p's features to class means (loglik.wgsl, nearest.wgsl). The
// including kernel declares `data` [NPIX·D] and `meansT` [D·KV] vec4: channel-major means,
// 4 classes to a vec4. Defines: K, D.

// K <= 4: all four distances at once.
fn class_sq_dists4(p: u32) -> vec4f {
  var r2 = vec4f(0.0);
  for (var j = 0u; j < D; j++) {
    let e = vec4f(data[p * D + j]) - meansT[j * KV];
    r2 += e * e;
  }
  return r2;
}

// Any K: the distance to class c.
fn class_sq_dist(p: u32, c: u32) -> f32 {
  var r2 = 0.0;
  for (var j = 0u; j < D; j++) {
    let e = data[p * D + j] - vcomp(meansT[j * KV + (c >> 2u)], c & 3u);
    r2 += e * e;
  }
  return r2;
}
