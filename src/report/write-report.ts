// Node-only: put a report page (and any files it references) into an output folder.
import { writeOutput } from '../data/io/write.js';

/** Write dir/index.html and each asset as dir/<name>; returns the page's path. */
export function writeReport(dir: string, page: string, assets: Record<string, Uint8Array | string> = {}): string {
  for (const [name, bytes] of Object.entries(assets)) writeOutput(dir, name, bytes);
  return writeOutput(dir, 'index.html', page);
}
