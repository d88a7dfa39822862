// Where each quantity of a replica-exchange batch lives: one batch is one K for every spectrum ×
// chain ("group"); a group holds L replicas (states) of P parameters. The CPU reference
// (float64) and the WGSL kernel (f32/u32, offsets emitted as defines) use these same offsets.

/** Sweeps between step-size adaptations during burn-in. */
export const ADAPT_WINDOW = 25;

/** Philox counter word 3 per purpose (word 3 = 0 is PhiloxStream's, used for initial states). */
export const RNG_MOVE = 2;
export const RNG_SWAP = 3;

export interface RemcLayout {
  L: number;
  P: number;
  /** Thinned samples kept per chain and temperature. */
  S: number;
  // f32 state per group: theta [L][P] by state, step [L][P] by temperature, ss [L] by state.
  fTheta: number;
  fStep: number;
  fSs: number;
  fStride: number;
  // u32 per group: perm [L] (temperature of each state), dir [L], trips [L], win [L][P] and
  // acc [L][P] by temperature, exch [L] by lower temperature of the pair.
  uPerm: number;
  uDir: number;
  uTrips: number;
  uWin: number;
  uAcc: number;
  uExch: number;
  uStride: number;
  // f32 accumulators per group by temperature: lse [L][2] (running max, Σ exp(x − max)) of the
  // stepping-stone terms, esum [L] (Σ ss), mom [L][P][2] (Σ θ, Σ θ²).
  aLse: number;
  aEsum: number;
  aMom: number;
  aStride: number;
  /** Samples per group: [S][L][P]. */
  sStride: number;
}

export function remcLayout(L: number, P: number, S: number): RemcLayout {
  const LP = L * P;
  return {
    L,
    P,
    S,
    fTheta: 0,
    fStep: LP,
    fSs: 2 * LP,
    fStride: 2 * LP + L,
    uPerm: 0,
    uDir: L,
    uTrips: 2 * L,
    uWin: 3 * L,
    uAcc: 3 * L + LP,
    uExch: 3 * L + 2 * LP,
    uStride: 4 * L + 2 * LP,
    aLse: 0,
    aEsum: 2 * L,
    aMom: 3 * L,
    aStride: 3 * L + 2 * LP,
    sStride: S * LP,
  };
}

/** Initial value of a running maximum (the lse accumulators start empty). */
export const LSE_EMPTY = -3.0e38;
