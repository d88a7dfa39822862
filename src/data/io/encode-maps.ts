// Result maps → bytes/text: CSV (one row per pixel), JSON summaries. Browser-safe; the Node
// writers (write.ts) put these on disk, a front end offers them as downloads.
import type { MapSet, NamedMap } from '../types.js';

/** The shortest decimal that reads back to the same float32 (NaN → 'nan', ±Inf → 'inf'/'-inf', as NumPy writes them). */
export function formatFloat32(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const f = Math.fround(v);
  for (let digits = 6; digits < 9; digits++) {
    const s = String(Number(f.toPrecision(digits)));
    if (Math.fround(Number(s)) === f) return s;
  }
  return String(Number(f.toPrecision(9)));
}

/** Pixels (ny, nx) of a map of shape [ny, nx], [k, ny, nx] or [n] (a list: ny = 1). */
export function mapGrid(name: string, m: NamedMap): { ny: number; nx: number; planes: number } {
  const s = m.shape;
  const count = s.reduce((a, b) => a * b, 1);
  if (count !== m.data.length)
    throw new Error(`map '${name}': shape (${s.join(', ')}) holds ${count} values but data has ${m.data.length}`);
  if (s.length === 1) return { ny: 1, nx: s[0]!, planes: 1 };
  if (s.length === 2) return { ny: s[0]!, nx: s[1]!, planes: 1 };
  if (s.length === 3) return { ny: s[1]!, nx: s[2]!, planes: s[0]! };
  throw new Error(`map '${name}': shape (${s.join(', ')}) is not [ny, nx], [k, ny, nx] or [n]`);
}

/**
 * One row per pixel: y, x, then one column per map (a [k, ny, nx] stack gives columns name_0 ..
 * name_{k-1}). All maps must cover the same pixels.
 */
export function mapSetToCsv(maps: MapSet): string {
  return [...mapSetCsvChunks(maps)].join('');
}

/** mapSetToCsv's text in pieces of `rowsPerChunk` rows (the header first), for streamed writing. */
export function* mapSetCsvChunks(maps: MapSet, rowsPerChunk = 20000): Generator<string> {
  const names = Object.keys(maps);
  if (names.length === 0) throw new Error('mapSetToCsv: no maps');
  const grids = names.map((n) => mapGrid(n, maps[n]!));
  const { ny, nx } = grids[0]!;
  grids.forEach((g, i) => {
    if (g.ny * g.nx !== ny * nx)
      throw new Error(`mapSetToCsv: map '${names[i]}' has ${g.ny}×${g.nx} pixels but '${names[0]}' has ${ny}×${nx}`);
  });
  const header = ['y', 'x'];
  names.forEach((n, i) => {
    const k = grids[i]!.planes;
    if (maps[n]!.shape.length === 3) for (let j = 0; j < k; j++) header.push(`${n}_${j}`);
    else header.push(n);
  });
  yield header.join(',') + '\n';
  const pixels = ny * nx;
  for (let p0 = 0; p0 < pixels; p0 += rowsPerChunk) {
    const lines: string[] = [];
    for (let p = p0; p < Math.min(pixels, p0 + rowsPerChunk); p++) {
      const row = [String(Math.floor(p / nx)), String(p % nx)];
      names.forEach((n, i) => {
        const d = maps[n]!.data;
        for (let j = 0; j < grids[i]!.planes; j++) row.push(formatFloat32(d[j * pixels + p]!));
      });
      lines.push(row.join(','));
    }
    yield lines.join('\n') + '\n';
  }
}

/** Columns of mapSetToCsv's table (y and x included). */
export function csvColumns(maps: MapSet): number {
  return 2 + Object.entries(maps).reduce((a, [n, m]) => a + mapGrid(n, m).planes, 0);
}

export interface MapSummary {
  shape: number[];
  unit?: string;
  description?: string;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Values that are NaN or ±Inf (pixels a method could not fit, masked pixels...). */
  nonFinite: number;
}

/** Per map: shape, unit, description, and min/max/mean over finite values. */
export function summarizeMapSet(maps: MapSet): Record<string, MapSummary> {
  const out: Record<string, MapSummary> = {};
  for (const [name, m] of Object.entries(maps)) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let n = 0;
    for (const v of m.data) {
      if (v - v !== 0) continue;
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    out[name] = {
      shape: m.shape.slice(),
      ...(m.unit !== undefined ? { unit: m.unit } : {}),
      ...(m.description !== undefined ? { description: m.description } : {}),
      min: n ? min : null,
      max: n ? max : null,
      mean: n ? sum / n : null,
      nonFinite: m.data.length - n,
    };
  }
  return out;
}

/**
 * JSON text (2-space indent) of plain data: typed arrays become arrays, NaN and ±Inf become null
 * (JSON has no spelling for them), Maps/Sets are not expected.
 */
export function encodeJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === 'number') return Number.isFinite(v) ? v : null;
        if (ArrayBuffer.isView(v) && !(v instanceof DataView))
          return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
        if (typeof v === 'bigint') return Number(v);
        return v;
      },
      2,
    ) + '\n'
  );
}
