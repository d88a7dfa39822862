// Adjusted Rand index (Hubert & Arabie 1985) between two labelings: 1 for identical partitions
// (up to renaming), ~0 for independent ones. From the contingency table n_ij with row sums a_i,
// column sums b_j:  ARI = (Σ C(n_ij,2) - E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) - E),
// E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2). Same definition as sklearn.metrics.adjusted_rand_score.
import { InputError } from '../../engine/errors.js';

const pairs = (n: number) => (n * (n - 1)) / 2;

export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new InputError(`adjustedRandIndex: labelings have ${a.length} and ${b.length} elements`);
  const n = a.length;
  const table = new Map<number, Map<number, number>>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    let row = table.get(x);
    if (!row) table.set(x, (row = new Map()));
    row.set(y, (row.get(y) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const row of table.values()) for (const c of row.values()) index += pairs(c);
  let sa = 0;
  for (const c of rows.values()) sa += pairs(c);
  let sb = 0;
  for (const c of cols.values()) sb += pairs(c);
  const expected = n > 1 ? (sa * sb) / pairs(n) : 0;
  const max = 0.5 * (sa + sb);
  // Both partitions trivial (one cluster each, or all singletons): sklearn returns 1.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
