// Multiplicative update of one factor stored rows × (4·kq) (W, or the spectra transposed Ht):
//   F ← F ⊙ max(Num, 0) / max(Den + l1, EPS)
// MODE 0: Den has F's shape (W·HHᵀ, Ht·WᵀW, the ONMF denominator); MODE 1: Den is one quad row
// shared by all rows (KL: the sums of the other factor). ROOT takes the square root of the ratio
// (orthogonal NMF, Ding et al. 2006). Defines: WG, MODE, ROOT, EPS.
struct Params {
  count4: u32,
  kq: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> F: array<vec4f>;
@group(0) @binding(2) var<storage, read> Num: array<vec4f>;
@group(0) @binding(3) var<storage, read> Den: array<vec4f>;
@group(0) @binding(4) var<storage, read> l1: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * WG;
  if (e >= P.count4) { return; }
  let q = e % P.kq;
  var den: vec4f;
  if (MODE == 1u) {
    den = Den[q];
  } else {
    den = Den[e];
  }
  let ratio = max(Num[e], vec4f(0.0)) / max(den + l1[q], vec4f(EPS));
  if (ROOT) {
    F[e] = F[e] * sqrt(ratio);
  } else {
    F[e] = F[e] * ratio;
  }
}
