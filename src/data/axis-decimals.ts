// How many decimals an energy (a position, a width) on an axis needs: fixed to the meV on an eV
// axis, finer on a finer axis, so a keV axis' widths are not rounded to 0.001 keV.

/** 3 (meV on an eV axis), or one past the first digit of the mean channel step on a finer axis (a keV axis' 5e-5 step: 6). */
export function axisDecimals(energy: ArrayLike<number>): number {
  const n = energy.length;
  const step = n > 1 ? Math.abs(energy[n - 1]! - energy[0]!) / (n - 1) : 0;
  return step > 0 && Number.isFinite(step) ? Math.min(12, Math.max(3, Math.ceil(-Math.log10(step)) + 1)) : 3;
}
