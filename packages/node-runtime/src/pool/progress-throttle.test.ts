import type { JobProgress } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { ProgressThrottle } from './progress-throttle.js';

/** A fake clock with one-shot timers, advanced by hand. */
function fakeTime() {
  let now = 0;
  let nextHandle = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimer: (callback: () => void, ms: number) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + ms, callback });
      return handle;
    },
    clearTimer: (handle: unknown) => {
      timers.delete(handle as number);
    },
    advance(ms: number) {
      now += ms;
      for (const [handle, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(handle);
          timer.callback();
        }
      }
    },
    pendingTimers: () => timers.size,
  };
}

const step = (done: number): JobProgress => ({ done, total: 100, unit: 'bytes' });

describe('ProgressThrottle', () => {
  it('sends the first report at once and at most one per interval after that', () => {
    const time = fakeTime();
    const sent: JobProgress[] = [];
    const throttle = new ProgressThrottle((progress) => sent.push(progress), { intervalMs: 100, ...time });
    throttle.report(step(1));
    expect(sent).toEqual([step(1)]);
    for (let done = 2; done <= 50; done += 1) {
      time.advance(1);
      throttle.report(step(done));
    }
    expect(sent).toEqual([step(1)]);
    time.advance(51); // 100 ms after the first report: the latest held one goes out
    expect(sent).toEqual([step(1), step(50)]);
  });

  it('over 10 simulated seconds of reports every millisecond, sends at most 10 per second', () => {
    const time = fakeTime();
    let count = 0;
    const throttle = new ProgressThrottle(() => count++, { intervalMs: 100, ...time });
    for (let done = 0; done < 10_000; done += 1) {
      throttle.report(step(done));
      time.advance(1);
    }
    expect(count).toBeLessThanOrEqual(101);
    expect(count).toBeGreaterThanOrEqual(99);
  });

  it('flush() sends the held-back report, so the final state is never lost', () => {
    const time = fakeTime();
    const sent: JobProgress[] = [];
    const throttle = new ProgressThrottle((progress) => sent.push(progress), { intervalMs: 100, ...time });
    throttle.report(step(1));
    throttle.report(step(100));
    throttle.flush();
    expect(sent).toEqual([step(1), step(100)]);
    expect(time.pendingTimers()).toBe(0);
    throttle.flush();
    expect(sent).toHaveLength(2);
  });

  it('discard() drops the held-back report and its timer', () => {
    const time = fakeTime();
    const sent: JobProgress[] = [];
    const throttle = new ProgressThrottle((progress) => sent.push(progress), { intervalMs: 100, ...time });
    throttle.report(step(1));
    throttle.report(step(2));
    throttle.discard();
    time.advance(1000);
    expect(sent).toEqual([step(1)]);
  });
});
