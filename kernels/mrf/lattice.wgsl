// Lattice helpers shared by gibbs.wgsl and summary.wgsl (src/methods/mrf/lattice.ts in WGSL).
// The including kernel declares `labels`. Defines: K, NX, NY, NEIGHBOURS, PERIODIC (bool).
// Branch-free on data (SwiftShader runs both sides of a data-dependent branch) and without
// integer modulo (slow to compile and to run there): wrapped or clamped indices keep loads in range.

// The label of neighbour (dy, dx) of (y, x) (|dy|, |dx| <= 1), or K (no class) off a free edge.
fn nb_label(y: u32, x: u32, dy: i32, dx: i32) -> u32 {
  let yy = i32(y) + dy;
  let xx = i32(x) + dx;
  if (PERIODIC) {
    let wy = select(select(yy, yy - i32(NY), yy >= i32(NY)), yy + i32(NY), yy < 0);
    let wx = select(select(xx, xx - i32(NX), xx >= i32(NX)), xx + i32(NX), xx < 0);
    return labels[u32(wy) * NX + u32(wx)];
  }
  let inside = yy >= 0 && yy < i32(NY) && xx >= 0 && xx < i32(NX);
  let cy = u32(clamp(yy, 0, i32(NY) - 1));
  let cx = u32(clamp(xx, 0, i32(NX) - 1));
  return select(K, labels[cy * NX + cx], inside);
}

// A diagonal neighbour's label, K on a 4-neighbour lattice.
fn nb_diagonal(y: u32, x: u32, dy: i32, dx: i32) -> u32 {
  if (NEIGHBOURS == 4u) {
    return K;
  }
  return nb_label(y, x, dy, dx);
}
