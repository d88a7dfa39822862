import { describe, expect, it, vi } from 'vitest';
import { progressBar } from '../../src/cli/progress.js';

function fakeStream(tty: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY: tty, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('progress bar', () => {
  it('draws nothing for work under a second', () => {
    const { writes, stream } = fakeStream(false);
    const bar = progressBar('fit', stream);
    bar({ done: 5, total: 10, stage: 'pixels' });
    bar({ done: 10, total: 10, stage: 'pixels' });
    bar.finish();
    expect(writes).toEqual([]);
  });

  it('prints the final line once even when completion is reported twice', () => {
    vi.useFakeTimers();
    const { writes, stream } = fakeStream(false);
    const bar = progressBar('fit', stream);
    vi.advanceTimersByTime(6000);
    bar({ done: 5, total: 10, stage: 'pixels' });
    vi.advanceTimersByTime(6000);
    bar({ done: 10, total: 10, stage: 'pixels' });
    bar.finish();
    bar({ done: 10, total: 10, stage: 'pixels' });
    bar.finish();
    vi.useRealTimers();
    expect(writes.filter((w) => w.includes('100%'))).toHaveLength(1);
    expect(writes[0]).toMatch(/^fit pixels: 50% \(5\/10\)/);
  });
});
