// Exact Potts statistics the sampler is checked against.

/** Complete elliptic integral of the first kind K(k) (modulus k) by the arithmetic-geometric mean. */
export function ellipticK(k: number): number {
  let a = 1;
  let b = Math.sqrt(1 - k * k);
  for (let i = 0; i < 40 && Math.abs(a - b) > 1e-15; i++) [a, b] = [(a + b) / 2, Math.sqrt(a * b)];
  return Math.PI / (2 * a);
}

/**
 * Onsager: the 2-state Potts model p ∝ exp(beta Σ δ(z_i, z_j)) is the Ising model with J = beta/2;
 * on the infinite square lattice the nearest-neighbour correlation is
 *   <s s> = ½ coth(2J) [1 + (2/π)(2 tanh²(2J) - 1) K(κ)],  κ = 2 sinh(2J) / cosh²(2J),
 * and the like-neighbour fraction is (1 + <s s>)/2.
 */
export function isingLikeFraction(beta: number): number {
  const j2 = beta; // 2J
  const kappa = (2 * Math.sinh(j2)) / Math.cosh(j2) ** 2;
  const ss = 0.5 * (1 / Math.tanh(j2)) * (1 + (2 / Math.PI) * (2 * Math.tanh(j2) ** 2 - 1) * ellipticK(kappa));
  return (1 + ss) / 2;
}

/** Exact mean like-edge fraction of K-state Potts on a small periodic lattice, by enumerating all K^(ny·nx) states. */
export function enumeratedLikeFraction(ny: number, nx: number, k: number, beta: number, neighbours: 4 | 8): number {
  const n = ny * nx;
  const offs =
    neighbours === 4
      ? [
          [0, 1],
          [1, 0],
        ]
      : [
          [0, 1],
          [1, 0],
          [1, 1],
          [1, -1],
        ];
  const edges: [number, number][] = [];
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++)
      for (const [dy, dx] of offs) edges.push([y * nx + x, ((y + dy!) % ny) * nx + ((x + dx! + nx) % nx)]);
  const z = new Uint8Array(n);
  let zsum = 0;
  let lsum = 0;
  for (let state = 0; state < k ** n; state++) {
    let s = state;
    for (let i = 0; i < n; i++) {
      z[i] = s % k;
      s = Math.floor(s / k);
    }
    let like = 0;
    for (const [a, b] of edges) if (z[a] === z[b]) like++;
    const w = Math.exp(beta * like);
    zsum += w;
    lsum += w * like;
  }
  return lsum / zsum / edges.length;
}
