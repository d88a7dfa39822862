// Per-class values are stored 4 classes to a vec4 (KV = ceil(K/4) vec4 per pixel, classes >= K
// padded): SwiftShader runs vec4 arithmetic at the cost of scalar, and, lacking loop unrolling,
// turns private arrays indexed by a loop variable into slow per-lane memory. So K <= 4 takes a
// vec4 path and larger K loops over classes re-reading memory, with no private arrays.
// Shared by loglik.wgsl, gibbs.wgsl and summary.wgsl. Defines: K.
const KV = (K + 3u) / 4u;
const CLASS4 = vec4u(0u, 1u, 2u, 3u);
// Log-likelihood of a padding class: never drawn (exp underflows to 0), finite under scaling by 1/T.
const PAD_LOGLIK = -1.0e30;

// Component c & 3 of a vec4, c a run-time value.
fn vcomp(v: vec4f, c: u32) -> f32 {
  return select(select(v.w, v.z, c == 2u), select(v.y, v.x, c == 0u), c < 2u);
}

// The same for a vec4u.
fn vcomp_u(v: vec4u, c: u32) -> u32 {
  return select(select(v.w, v.z, c == 2u), select(v.y, v.x, c == 0u), c < 2u);
}
