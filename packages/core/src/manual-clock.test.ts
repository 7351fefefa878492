import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('fires timers in due order while advancing, and not the cleared ones', () => {
    const clock = new ManualClock(10);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 5);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 1);
    clock.clearTimeout(cleared);
    clock.advance(10);
    expect(fired).toEqual(['a@15']);
    clock.advance(100);
    expect(fired).toEqual(['a@15', 'b@30']);
    expect(clock.now()).toBe(120);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set by a timer when it falls due within the same advance', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 5), 5);
    clock.advance(10);
    expect(fired).toEqual([10]);
  });
});
