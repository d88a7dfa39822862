// A progress bar on stderr for work longer than a second: drawn in place on a terminal, as a
// line every few seconds otherwise (logs, CI).
import type { Progress } from '../engine/index.js';
import { EtaClock } from './eta.js';

export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ((p: Progress) => void) & { finish(): void } {
  const t0 = Date.now();
  let lastDraw = 0;
  let drawn = false;
  let drawnLast: Progress | null = null;
  // Behind the CLI's stderr filter (stderr-filter.ts) stderr is a pipe to a terminal.
  const tty = stream.isTTY === true || (stream === process.stderr && process.env.SPECMAP_STDERR_TTY === '1');
  const clock = new EtaClock();
  let etaLeft: number | undefined;
  const draw = (p: Progress, final = false) => {
    const now = Date.now();
    const elapsed = (now - t0) / 1000;
    if (!final && elapsed < 1) return; // short work gets no bar
    if (!final && now - lastDraw < (tty ? 100 : 5000)) return;
    lastDraw = now;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const eta = etaLeft !== undefined && frac < 1 ? ` eta ${etaLeft.toFixed(0)}s` : '';
    const stage = p.stage ? ` ${p.stage}` : '';
    if (tty) {
      const width = 28;
      const fill = Math.round(frac * width);
      stream.write(
        `\r${label}${stage} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${elapsed.toFixed(1)}s${eta}   `,
      );
    } else {
      stream.write(
        `${label}${stage}: ${(frac * 100).toFixed(0)}% (${p.done}/${p.total}) ${elapsed.toFixed(1)}s${eta}\n`,
      );
    }
    drawn = true;
    drawnLast = p;
  };
  let last: Progress | null = null;
  let finished = false;
  const fn = ((p: Progress) => {
    if (finished) return;
    last = p;
    etaLeft = clock.update(p, Date.now());
    draw(p);
  }) as ((p: Progress) => void) & { finish(): void };
  fn.finish = () => {
    if (finished) return;
    finished = true;
    if (drawn && last) {
      if (drawnLast !== last) draw(last, true);
      if (tty) stream.write('\n');
    }
  };
  return fn;
}
