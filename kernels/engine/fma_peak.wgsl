// The backend's arithmetic ceiling: independent FMA chains, no memory traffic in the loop.
// FLOPs per invocation = 2 (mul+add) * 4 lanes * 4 chains * PEAK_ITERS.
@group(0) @binding(0) var<storage, read_write> sink: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let seed = f32(gid.x) * 1e-7;
  var a = vec4f(seed, 0.1, 0.2, 0.3);
  var b = a + vec4f(0.5);
  var c = a + vec4f(0.25);
  var d = a + vec4f(0.125);
  let m = vec4f(0.9999);
  let k = vec4f(1e-4);
  for (var i = 0u; i < PEAK_ITERS; i++) {
    a = fma(a, m, k);
    b = fma(b, m, k);
    c = fma(c, m, k);
    d = fma(d, m, k);
  }
  sink[gid.x] = dot(a + b + c + d, vec4f(1.0));
}
