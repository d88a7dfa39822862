// Squared distance of pixel p's features to class means (loglik.wgsl, nearest.wgsl). The
// including kernel declares `data` [NPIX·DV] and `means` [max(K, 4)·DV], both vec4: 4 channels
// to a vec4, zero-padded (a load per lane is the cost on SwiftShader: 4 channels per load).
// Defines: K, DV (= ceil(D / 4)).

// K <= 4: all four distances at once (means of classes >= K are zeros; their distances unused).
fn class_sq_dists4(p: u32) -> vec4f {
  var r2 = vec4f(0.0);
  for (var j = 0u; j < DV; j++) {
    let v = data[p * DV + j];
    let d0 = v - means[j];
    let d1 = v - means[DV + j];
    let d2 = v - means[2u * DV + j];
    let d3 = v - means[3u * DV + j];
    r2 += vec4f(dot(d0, d0), dot(d1, d1), dot(d2, d2), dot(d3, d3));
  }
  return r2;
}

// Any K: the distance to class c.
fn class_sq_dist(p: u32, c: u32) -> f32 {
  var r2 = 0.0;
  for (var j = 0u; j < DV; j++) {
    let e = data[p * DV + j] - means[c * DV + j];
    r2 += dot(e, e);
  }
  return r2;
}
