// The buffer layouts the host and the EM kernels share, in one table: the per-pixel state, the
// model buffer and the axis buffer. The kernels receive every offset as a constant (defines):
// S_<field> and STATE for the state, M_<field> for the model, CV and AX for the axis.

import type { Define } from '../../engine/index.js';

type Fields = readonly (readonly [string, number])[];

/** Offsets of fields laid out one after another, and the total length. */
interface Block {
  fields: Fields;
  /** Offset of each field. */
  at: Record<string, number>;
  /** Total length (floats). */
  size: number;
}

function block(fields: Fields): Block {
  const at: Record<string, number> = {};
  let size = 0;
  for (const [name, length] of fields) {
    at[name] = size;
    size += length;
  }
  return { fields, at, size };
}

/** Per-pixel state (floats): positions, sigmas, weights (K + NB), the log-likelihood of the last
 * E-step, M-steps done, status, total counts (written by the host). */
function stateFields(K: number, NB: number): Fields {
  return [
    ['POS', K],
    ['SIG', K],
    ['W', K + NB],
    ['LL', 1],
    ['IT', 1],
    ['STATUS', 1],
    ['TOTAL', 1],
  ];
}

/** The model buffer (floats, scaled units; the EM kernels under kernels/peaks read it at M_<field>). */
function modelFields(K: number, G: number, NB: number): Fields {
  return [
    ['LO', 1],
    ['HI', 1],
    ['SLO', 1],
    ['SHI', 1],
    ['TOL', 1],
    ['LOGSCALE', 1],
    ['MAXIT', 1],
    ['FLOOR', 1],
    ['OFF', K],
    ['RFRAC', K],
    ['GROUP', K],
    ['WGROUP', K],
    ['FIXED', G],
    ['BLO', G],
    ['BHI', G],
    // The uniform axis x'_n = X0 + n XH, then per background component its density on the scaled
    // axis, BGA + BGB x'.
    ['X0', 1],
    ['XH', 1],
    ['BGA', NB],
    ['BGB', NB],
  ];
}

/** Status codes in the state's STATUS slot: 0 running, 1 converged, 2 stopped at maxIterations,
 * 3 no counts (set by the host; the kernels skip every status but running). */
export const STATUS = { running: 0, converged: 1, maxIterations: 2, empty: 3 } as const;

export interface PeaksLayout {
  state: Block;
  model: Block;
  /** vec4s of component lanes per channel of the axis buffer (ceil((K + NB) / 4)); AX = CV + 1 with (x', w', 0, 0). */
  CV: number;
  AX: number;
  /** The constants every kernel reading these buffers is compiled with. */
  defines: Record<string, Define>;
}

export function peaksLayout(K: number, NB: number, G: number): PeaksLayout {
  const state = block(stateFields(K, NB));
  const model = block(modelFields(K, G, NB));
  const CV = Math.ceil((K + NB) / 4);
  const defines: Record<string, Define> = { STATE: state.size, CV, AX: CV + 1 };
  for (const [name, at] of Object.entries(state.at)) defines[`S_${name}`] = at;
  for (const [name, at] of Object.entries(model.at)) defines[`M_${name}`] = at;
  defines.ST_RUNNING = { f32: STATUS.running };
  defines.ST_CONVERGED = { f32: STATUS.converged };
  defines.ST_MAXITER = { f32: STATUS.maxIterations };
  return { state, model, CV, AX: CV + 1, defines };
}

/** The model buffer from its fields' values; every field must be given, at its length. */
export function packModel(layout: PeaksLayout, values: Record<string, number[]>): Float32Array {
  const out = new Float32Array(layout.model.size);
  for (const [name, length] of layout.model.fields) {
    const v = values[name];
    if (!v || v.length !== length)
      throw new Error(`peaks model field ${name}: ${v?.length ?? 'no'} values for ${length}`);
    out.set(v, layout.model.at[name]!);
  }
  for (const name in values) if (!(name in layout.model.at)) throw new Error(`peaks model: no field ${name}`);
  return out;
}
