// Comparing recovered components with known ones (synthetic data): NMF recovers components up to
// order and scale, so each true spectrum is paired with one recovered spectrum by the assignment
// that maximises the summed Pearson correlation.

/** Pearson correlation of rows a (of A, length m) and b (of B). */
function correlation(A: ArrayLike<number>, a: number, B: ArrayLike<number>, b: number, m: number): number {
  let ma = 0;
  let mb = 0;
  for (let c = 0; c < m; c++) {
    ma += A[a * m + c]!;
    mb += B[b * m + c]!;
  }
  ma /= m;
  mb /= m;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let c = 0; c < m; c++) {
    const x = A[a * m + c]! - ma;
    const y = B[b * m + c]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * Pair each of the kt true rows (truth, kt × m) with a distinct recovered row (est, ke × m).
 * Returns the correlation of each true row with its partner (0 where ke < kt leaves it unpaired)
 * and the partner's index (-1 if none). Exhaustive over assignments (fine for k ≤ 8), greedy beyond.
 */
export function matchComponents(
  truth: ArrayLike<number>,
  kt: number,
  est: ArrayLike<number>,
  ke: number,
  m: number,
): { correlation: number[]; partner: number[] } {
  const C = Array.from({ length: kt }, (_, a) =>
    Array.from({ length: ke }, (_, b) => correlation(truth, a, est, b, m)),
  );
  let bestSum = -Infinity;
  let best: number[] = [];
  if (kt <= 8 && ke <= 8) {
    const used = new Array<boolean>(ke).fill(false);
    const cur: number[] = [];
    const walk = (a: number, sum: number) => {
      if (a === kt) {
        if (sum > bestSum) {
          bestSum = sum;
          best = cur.slice();
        }
        return;
      }
      let any = false;
      for (let b = 0; b < ke; b++) {
        if (used[b]) continue;
        any = true;
        used[b] = true;
        cur.push(b);
        walk(a + 1, sum + C[a]![b]!);
        cur.pop();
        used[b] = false;
      }
      if (!any) {
        cur.push(-1);
        walk(a + 1, sum);
        cur.pop();
      }
    };
    walk(0, 0);
  } else {
    const used = new Set<number>();
    best = C.map((row) => {
      let at = -1;
      for (let b = 0; b < ke; b++) if (!used.has(b) && (at < 0 || row[b]! > row[at]!)) at = b;
      if (at >= 0) used.add(at);
      return at;
    });
  }
  return { correlation: best.map((b, a) => (b >= 0 ? C[a]![b]! : 0)), partner: best };
}
