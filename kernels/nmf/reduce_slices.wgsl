// Sums the partial products of atb over its row slices: out[e] = Σ_s part[s·len4 + e] (vec4s).
// Defines: WG.
struct Params {
  len4: u32,
  slices: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> part: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * WG;
  if (e >= P.len4) { return; }
  var s0 = vec4f(0.0);
  var s1 = vec4f(0.0);
  var s = 0u;
  for (; s + 1u < P.slices; s += 2u) {
    s0 += part[s * P.len4 + e];
    s1 += part[(s + 1u) * P.len4 + e];
  }
  if (s < P.slices) { s0 += part[s * P.len4 + e]; }
  out[e] = s0 + s1;
}
