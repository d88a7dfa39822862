import { describe, expect, it, vi } from 'vitest';
import { ETA_MIN_REPORTS, ETA_MIN_TIMED_MS, EtaClock } from '../../src/cli/eta.js';
import { progressBar } from '../../src/cli/progress.js';

const p = (done: number, total = 1000, stage = 'fit') => ({ done, total, stage });

describe('progress ETA', () => {
  it('leaves the warm-up before the first report out of the rate', () => {
    // 9 s of shader compilation before the first report (1 % done), then 1 % per 0.1 s: 11 s in all.
    const clock = new EtaClock();
    expect(clock.update(p(10), 9000)).toBeUndefined();
    let eta: number | undefined;
    for (let k = 1; k <= 30; k++) eta = clock.update(p(10 + 10 * k), 9000 + 100 * k) ?? eta;
    // 310 done at 12 s: 690 left at 10 per 0.1 s = 6.9 s (from the start: 12/0.31 - 12 = 26.7 s).
    expect(eta).toBeCloseTo(6.9, 6);
  });

  it('gives no estimate until enough work past the first report has been timed', () => {
    const clock = new EtaClock();
    clock.update(p(1), 0);
    // Many reports, but less than the least timed span.
    for (let t = 100; t < ETA_MIN_TIMED_MS; t += 100) expect(clock.update(p(1 + t / 10), t)).toBeUndefined();
    // Long enough, but too few reports.
    const few = new EtaClock();
    few.update(p(1), 0);
    for (let k = 1; k < ETA_MIN_REPORTS; k++) expect(few.update(p(100 * k), ETA_MIN_TIMED_MS * k)).toBeUndefined();
    expect(few.update(p(100 * ETA_MIN_REPORTS), ETA_MIN_TIMED_MS * ETA_MIN_REPORTS)).toBeGreaterThan(0);
  });

  it('starts over on a new stage and when done goes back', () => {
    const clock = new EtaClock();
    clock.update(p(0, 100, 'start'), 0);
    for (let k = 1; k <= 5; k++) clock.update(p(10 * k, 100, 'start'), 1000 * k);
    expect(clock.update(p(1, 1000, 'fit'), 6000)).toBeUndefined();
    expect(clock.update(p(2, 1000, 'fit'), 9000)).toBeUndefined();
    expect(clock.update(p(0, 1000, 'fit'), 9500)).toBeUndefined();
  });

  it('shows none once the work is done or when nothing moved', () => {
    const clock = new EtaClock();
    clock.update(p(5), 0);
    for (let k = 1; k <= 5; k++) expect(clock.update(p(5), 1000 * k)).toBeUndefined();
    expect(clock.update(p(1000), 9000)).toBeUndefined();
  });

  it("the bar's first line after a slow start shows no ETA", () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const stream = { isTTY: false, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressBar('fit', stream);
    vi.advanceTimersByTime(9000);
    bar(p(10));
    for (let k = 1; k <= 60; k++) {
      vi.advanceTimersByTime(100);
      bar(p(10 + 10 * k));
    }
    bar.finish();
    vi.useRealTimers();
    expect(writes[0]).toMatch(/^fit fit: 1% \(10\/1000\) 9\.0s\n$/);
    // Drawn again 5 s later with the rate past the first report: 490 left at 100 per s (from the start: 13 s).
    expect(writes[1]).toMatch(/^fit fit: 51% \(510\/1000\) 14\.0s eta 5s\n$/);
  });
});
