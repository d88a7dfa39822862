// The pixel lattice of a Potts field: neighbours (4 or 8), free or periodic edges, and the
// checkerboard colouring that makes each colour's pixels conditionally independent
// (2 colours for 4 neighbours, 4 for 8), as the Gibbs kernel (kernels/mrf/gibbs.wgsl) uses.
import { InputError } from '../../engine/errors.js';
import type { Neighbours } from './model.js';

export interface Lattice {
  ny: number;
  nx: number;
  neighbours: Neighbours;
  /** Wrap around the edges (a torus): used for Potts statistics; images use free edges. */
  periodic: boolean;
}

/** Neighbour offsets [dy, dx]; the first half are the "forward" edges (each edge counted once). */
export function offsets(n: Neighbours): [number, number][] {
  return n === 4
    ? [
        [0, 1],
        [1, 0],
        [0, -1],
        [-1, 0],
      ]
    : [
        [0, 1],
        [1, 0],
        [1, 1],
        [1, -1],
        [0, -1],
        [-1, 0],
        [-1, -1],
        [-1, 1],
      ];
}

export function colourCount(n: Neighbours): number {
  return n === 4 ? 2 : 4;
}

export function colourOf(lat: Lattice, y: number, x: number): number {
  return lat.neighbours === 4 ? (x + y) & 1 : (x & 1) + 2 * (y & 1);
}

/** Neighbour j of pixel (y, x), or -1 off a free edge. */
export function neighbourIndex(lat: Lattice, y: number, x: number, dy: number, dx: number): number {
  let yy = y + dy;
  let xx = x + dx;
  if (lat.periodic) {
    yy = (yy + lat.ny) % lat.ny;
    xx = (xx + lat.nx) % lat.nx;
  } else if (yy < 0 || yy >= lat.ny || xx < 0 || xx >= lat.nx) return -1;
  return yy * lat.nx + xx;
}

/** Number of lattice edges (each counted once; on a periodic lattice every pixel has all its neighbours). */
export function edgeCount(lat: Lattice): number {
  const { ny, nx } = lat;
  if (lat.periodic) return (ny * nx * lat.neighbours) / 2;
  const straight = ny * (nx - 1) + (ny - 1) * nx;
  return lat.neighbours === 4 ? straight : straight + 2 * (ny - 1) * (nx - 1);
}

/** A periodic checkerboard needs even sides, or neighbours would share a colour. */
export function checkLattice(lat: Lattice): void {
  if (lat.ny < 2 || lat.nx < 2) throw new InputError(`mrf: lattice must be at least 2×2, got ${lat.ny}×${lat.nx}`);
  if (lat.periodic && (lat.ny % 2 || lat.nx % 2))
    throw new InputError(
      `mrf: a periodic lattice needs even sides for the checkerboard colouring, got ${lat.ny}×${lat.nx}`,
    );
}
