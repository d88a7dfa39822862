// Lattice helpers shared by gibbs.wgsl and stats.wgsl (src/methods/mrf/lattice.ts in WGSL).
// Defines: NX, NY, PERIODIC (bool). Neighbour (dy, dx) of (y, x), or -1 off a free edge.
fn neighbour(y: i32, x: i32, dy: i32, dx: i32) -> i32 {
  var yy = y + dy;
  var xx = x + dx;
  if (PERIODIC) {
    yy = (yy + i32(NY)) % i32(NY);
    xx = (xx + i32(NX)) % i32(NX);
  } else if (yy < 0 || yy >= i32(NY) || xx < 0 || xx >= i32(NX)) {
    return -1;
  }
  return yy * i32(NX) + xx;
}

// Offset j in the order of lattice.ts offsets(): the first NEIGHBOURS / 2 are the forward edges.
// A switch, not a const array: a const array indexed at run time becomes a per-thread copy.
fn nb_offset(j: u32) -> vec2i {
  switch j {
    case 0u: { return vec2i(0, 1); }
    case 1u: { return vec2i(1, 0); }
    case 2u: { return select(vec2i(1, 1), vec2i(0, -1), NEIGHBOURS == 4u); }
    case 3u: { return select(vec2i(1, -1), vec2i(-1, 0), NEIGHBOURS == 4u); }
    case 4u: { return vec2i(0, -1); }
    case 5u: { return vec2i(-1, 0); }
    case 6u: { return vec2i(-1, -1); }
    default: { return vec2i(-1, 1); }
  }
}
