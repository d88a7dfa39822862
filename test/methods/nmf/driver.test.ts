// Pruning and merging of components (so/ard/onmf), from the Gram matrices of W and H.
import { describe, expect, it } from 'vitest';
import { pruneAndMerge } from '../../../src/methods/nmf/driver.js';
import { resolveNmf } from '../../../src/methods/nmf/model.js';

/** Gram matrix of unit vectors with the given pairwise cosines, scaled by norms. */
function gram(norms: number[], cos: (a: number, b: number) => number): Float64Array {
  const k = norms.length;
  return Float64Array.from({ length: k * k }, (_, i) => {
    const a = Math.floor(i / k);
    const b = i % k;
    return norms[a]! * norms[b]! * (a === b ? 1 : cos(Math.min(a, b), Math.max(a, b)));
  });
}

const s = resolveNmf({ k: 4, method: 'so' }, 100, 50); // pruneShare 0.01, mergeCosine 0.99

describe('pruneAndMerge', () => {
  it('drops a component under 1% of the total share and merges near-identical spectra', () => {
    const WtW = gram([10, 10, 10, 0.05], () => 0.1);
    const HHt = gram([1, 1, 1, 1], (a, b) => (a === 0 && b === 2 ? 0.995 : 0.3));
    const plan = pruneAndMerge(WtW, HHt, 4, s)!;
    expect(plan.keep).toEqual([0, 1]);
    expect([...plan.mergeInto]).toEqual([[2, 0]]);
  });

  it('a chain a≈b≈c with a, c apart keeps c (b merges into a only)', () => {
    const WtW = gram([1, 1, 1], () => 0);
    const HHt = gram([1, 1, 1], (a, b) => (a === 0 && b === 2 ? 0.97 : 0.995));
    const plan = pruneAndMerge(WtW, HHt, 3, { ...s, k: 3 })!;
    expect(plan.keep).toEqual([0, 2]);
    expect([...plan.mergeInto]).toEqual([[1, 0]]);
  });

  it('returns null when nothing changes', () => {
    expect(
      pruneAndMerge(
        gram([1, 2], () => 0),
        gram([1, 1], () => 0.5),
        2,
        { ...s, k: 2 },
      ),
    ).toBeNull();
  });
});
