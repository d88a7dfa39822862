// Squared distances of pixel p's features to the K class means (shared by loglik.wgsl and
// nearest.wgsl). The including kernel declares `data` [NPIX·D] and `means` [K·D].
fn class_sq_dists(p: u32) -> array<f32, K> {
  var r2: array<f32, K>;
  for (var c = 0u; c < K; c++) {
    r2[c] = 0.0;
  }
  for (var j = 0u; j < D; j++) {
    let v = data[p * D + j];
    for (var c = 0u; c < K; c++) {
      let e = v - means[c * D + j];
      r2[c] += e * e;
    }
  }
  return r2;
}
