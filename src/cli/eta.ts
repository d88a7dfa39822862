// The remaining time a progress bar shows. The first report of a stage marks the end of its
// warm-up (shader compilation, the first dispatch's setup), so the rate is measured only from
// there on, and no estimate is given until enough work past it has been timed.
import type { Progress } from '../engine/index.js';

/** Least time (ms) and fewest further reports past the first before an estimate is shown. */
export const ETA_MIN_TIMED_MS = 2000;
export const ETA_MIN_REPORTS = 3;

export class EtaClock {
  private stage: string | null = null;
  private t1 = 0;
  private done1 = 0;
  private reports = 0;

  /** Record a report made at `nowMs`; returns the seconds left, or undefined while unknown. */
  update(p: Progress, nowMs: number): number | undefined {
    if (p.stage !== this.stage || p.done < this.done1) {
      this.stage = p.stage;
      this.t1 = nowMs;
      this.done1 = p.done;
      this.reports = 0;
      return undefined;
    }
    this.reports++;
    const timed = nowMs - this.t1;
    const worked = p.done - this.done1;
    if (p.done >= p.total || timed < ETA_MIN_TIMED_MS || this.reports < ETA_MIN_REPORTS || worked <= 0)
      return undefined;
    return ((p.total - p.done) * timed) / worked / 1000;
  }
}
