// `--csv` (fit, demo): maps.csv holds every map again as text, one row per pixel. It is written by
// default only while it stays small; above that the .npy files hold the maps and a line says how
// to get the table anyway.
import { csvColumns } from '../data/io/encode-maps.js';
import type { MapSet } from '../data/types.js';
import type { VerbContext } from './verb.js';

/** The --csv row of a verb's option table. */
export const CSV_OPTION_ROW = {
  kind: 'boolean',
  flag: 'csv',
  help: `write maps.csv whatever its size (by default only below ~64 MB; the .npy files hold every map either way)`,
} as const;

/** Largest maps.csv written without --csv, in bytes (estimated). */
export const CSV_AUTO_MAX_BYTES = 64 * 2 ** 20;

/** Bytes mapSetToCsv would write, from its rows and columns (about 11 per value with its comma). */
export function csvSizeEstimate(maps: MapSet): number {
  const first = Object.values(maps)[0];
  if (!first) return 0;
  const rows = first.data.length / Math.max(1, first.shape.length === 3 ? first.shape[0]! : 1);
  return Math.round(rows * (8 + 11 * (csvColumns(maps) - 2)));
}

/** Whether to write maps.csv, and the line saying why not when it is skipped. */
export function csvChoice(values: VerbContext['values'], maps: MapSet): { write: boolean; skipped?: string } {
  if (values.csv === true) return { write: true };
  const bytes = csvSizeEstimate(maps);
  if (bytes <= CSV_AUTO_MAX_BYTES) return { write: true };
  return {
    write: false,
    skipped: `maps.csv skipped: it would be about ${Math.round(bytes / 2 ** 20)} MB; the maps are in the .npy files (add --csv to write it too)`,
  };
}
