// The backend's streaming-read ceiling: every invocation reads its own contiguous row of
// ROW_VEC4 vec4s (the access pattern of a row-major data matrix read row per thread, as the NMF
// and peak kernels do) and sums it, two independent accumulators; one vec4 written per row so
// the loads cannot be dropped. Bytes per invocation = 16 * ROW_VEC4.
@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> sink: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * nwg.x * WG;
  let o = row * ROW_VEC4;
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  for (var c = 0u; c < ROW_VEC4; c += 2u) {
    a += src[o + c];
    b += src[o + c + 1u];
  }
  sink[row] = a + b;
}
