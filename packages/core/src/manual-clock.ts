import type { Clock, TimerHandle } from './clock.js';

interface Timer {
  readonly due: number;
  readonly sequence: number;
  readonly callback: () => void;
}

/**
 * A {@link Clock} that only moves when told to: for tests of aging and anything else timed,
 * without real waiting. Timers fire in due order (then creation order) during
 * {@link ManualClock.advance}.
 */
export class ManualClock implements Clock {
  #now: number;
  #sequence = 0;
  readonly #timers = new Set<Timer>();

  /** @param start The initial time in ms. @default 0 */
  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: Timer = { due: this.#now + Math.max(0, ms), sequence: this.#sequence++, callback };
    this.#timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as Timer);
  }

  /** How many timers are pending. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.#timers) {
        if (
          timer.due <= target &&
          (next === undefined ||
            timer.due < next.due ||
            (timer.due === next.due && timer.sequence < next.sequence))
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.due);
      next.callback();
    }
    this.#now = target;
  }
}
