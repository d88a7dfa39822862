// Small dense linear algebra on the host, float64: the leading eigenpairs of the channel Gram
// matrix XᵀX (from which the SVD of X follows), used by NNDSVD and the scree plot.

/** Eigen-decomposition of a small symmetric L×L matrix (cyclic Jacobi). Eigenvalues descending,
 * eigenvectors as columns of V (row-major L×L). */
export function jacobiEigen(A: Float64Array, L: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(L * L);
  for (let i = 0; i < L; i++) v[i * L + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < L; i++) {
      diag += a[i * L + i]! ** 2;
      for (let j = i + 1; j < L; j++) off += a[i * L + j]! ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < L; p++) {
      for (let q = p + 1; q < L; q++) {
        const apq = a[p * L + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * L + q]! - a[p * L + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < L; r++) {
          const arp = a[r * L + p]!;
          const arq = a[r * L + q]!;
          a[r * L + p] = c * arp - s * arq;
          a[r * L + q] = s * arp + c * arq;
        }
        for (let r = 0; r < L; r++) {
          const apr = a[p * L + r]!;
          const aqr = a[q * L + r]!;
          a[p * L + r] = c * apr - s * aqr;
          a[q * L + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < L; r++) {
          const vrp = v[r * L + p]!;
          const vrq = v[r * L + q]!;
          v[r * L + p] = c * vrp - s * vrq;
          v[r * L + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: L }, (_, i) => i).sort((x, y) => a[y * L + y]! - a[x * L + x]!);
  const values = Float64Array.from(order, (i) => a[i * L + i]!);
  const vectors = new Float64Array(L * L);
  order.forEach((src, dst) => {
    for (let r = 0; r < L; r++) vectors[r * L + dst] = v[r * L + src]!;
  });
  return { values, vectors };
}

/** Orthonormalise the L columns of Q (m×L, row-major) in place (modified Gram–Schmidt, twice). */
function orthonormalise(Q: Float64Array, m: number, L: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < L; j++) {
      for (let i = 0; i < j; i++) {
        let d = 0;
        for (let r = 0; r < m; r++) d += Q[r * L + i]! * Q[r * L + j]!;
        for (let r = 0; r < m; r++) Q[r * L + j] -= d * Q[r * L + i]!;
      }
      let n = 0;
      for (let r = 0; r < m; r++) n += Q[r * L + j]! ** 2;
      n = Math.sqrt(n);
      // A column that vanished (rank below L) is replaced by a unit vector orthogonal enough after the next pass.
      if (n < 1e-300) for (let r = 0; r < m; r++) Q[r * L + j] = r === j % m ? 1 : 0;
      else for (let r = 0; r < m; r++) Q[r * L + j] /= n;
    }
  }
}

/**
 * The L leading eigenpairs of a symmetric positive semi-definite m×m matrix G (row-major) by
 * subspace iteration with Rayleigh–Ritz: O(m²L) per step, so a 300-channel Gram takes milliseconds.
 * Iterates until the `need` leading eigenvalues converge (the rest of the block speeds them up).
 * Returns eigenvalues (descending, clamped at 0) and eigenvectors as columns of V (m×L).
 */
export function leadingEigen(
  G: Float64Array,
  m: number,
  L: number,
  need = L,
  maxSteps = 1000,
): { values: Float64Array; vectors: Float64Array } {
  L = Math.min(L, m);
  if (L === m || m <= 64) {
    const full = jacobiEigen(G, m);
    const vectors = new Float64Array(m * L);
    for (let r = 0; r < m; r++) for (let j = 0; j < L; j++) vectors[r * L + j] = full.vectors[r * m + j]!;
    return { values: full.values.slice(0, L).map((x) => Math.max(0, x)), vectors };
  }
  // Deterministic start: a spread of cosines, far from orthogonal to any data direction.
  let Q: Float64Array = new Float64Array(m * L);
  for (let r = 0; r < m; r++) for (let j = 0; j < L; j++) Q[r * L + j] = Math.cos((r + 1) * (j + 1) * 0.7071 + j);
  orthonormalise(Q, m, L);
  let prev: Float64Array = new Float64Array(L);
  let values: Float64Array = new Float64Array(L);
  let vectors: Float64Array = Q;
  for (let step = 0; step < maxSteps; step++) {
    const Z = new Float64Array(m * L);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) {
        const g = G[r * m + c]!;
        if (g === 0) continue;
        for (let j = 0; j < L; j++) Z[r * L + j] += g * Q[c * L + j]!;
      }
    }
    // Rayleigh–Ritz: T = Qᵀ G Q (L×L), rotate Q by T's eigenvectors.
    const T = new Float64Array(L * L);
    for (let i = 0; i < L; i++)
      for (let j = 0; j < L; j++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += Q[r * L + i]! * Z[r * L + j]!;
        T[i * L + j] = s;
      }
    for (let i = 0; i < L; i++)
      for (let j = 0; j < i; j++) T[i * L + j] = T[j * L + i] = 0.5 * (T[i * L + j]! + T[j * L + i]!);
    const e = jacobiEigen(T, L);
    values = e.values;
    vectors = new Float64Array(m * L);
    for (let r = 0; r < m; r++)
      for (let j = 0; j < L; j++) {
        let s = 0;
        for (let i = 0; i < L; i++) s += Q[r * L + i]! * e.vectors[i * L + j]!;
        vectors[r * L + j] = s;
      }
    // Converged when the `need` leading eigenvalues stop moving (to 1e-13 of the largest).
    let change = 0;
    for (let j = 0; j < Math.min(need, L); j++)
      change = Math.max(change, Math.abs(values[j]! - prev[j]!) / Math.max(values[0]!, 1e-300));
    if (step > 3 && change < 1e-13) break;
    prev = values;
    Q = Z;
    orthonormalise(Q, m, L);
  }
  return { values: values.map((x) => Math.max(0, x)), vectors };
}
