// Plain-text tables for summaries: columns padded, numbers right-aligned.
import { formatNumber } from '../report/format-number.js';

export { formatNumber };

export type Cell = string | number | null | undefined;

export function formatTable(headers: string[], rows: Cell[][]): string {
  const cells = rows.map((r) =>
    r.map((c) => (c === null || c === undefined ? '' : typeof c === 'number' ? formatNumber(c) : c)),
  );
  const numeric = headers.map((_, j) =>
    rows.every((r) => typeof r[j] === 'number' || r[j] === null || r[j] === undefined),
  );
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
