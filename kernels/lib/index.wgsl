// Linear workgroup index for dispatches split over x and y (engine/kernel.ts grid()).
fn linear_workgroup(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.x + wid.y * nwg.x;
}
