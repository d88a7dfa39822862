// Workgroup tree reduction of several sums at once ("lanes"). The kernel defines
//   RED_WG: u32     the workgroup size (a power of two), and
//   RED_LANES: u32  how many sums,
// writes thread t's partial of lane l to red_buf[l * RED_WG + t], then calls reduce_lanes(t)
// from uniform control flow. Afterwards red_buf[l * RED_WG] holds lane l's total.
// Pairwise (tree) summation: rounding error grows with log2(RED_WG), not RED_WG. Each level's
// adds are spread over all threads (lane-major), so few threads idle while many lanes remain.

var<workgroup> red_buf: array<f32, RED_LANES * RED_WG>;

fn reduce_lanes(tid: u32) {
  workgroupBarrier();
  for (var s = RED_WG / 2u; s > 0u; s = s >> 1u) {
    for (var i = tid; i < s * RED_LANES; i += RED_WG) {
      let lane = i / s;
      let at = lane * RED_WG + (i - lane * s);
      red_buf[at] = red_buf[at] + red_buf[at + s];
    }
    workgroupBarrier();
  }
}
